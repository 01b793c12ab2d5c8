package dev.framewright.api.limits;

import dev.framewright.api.problem.ApiException;
import dev.framewright.api.problem.Problem;

/** A 429 or 503 that tells the client when to try again ({@code Retry-After}, whole seconds, at least 1). */
public class RetryLaterException extends ApiException {

    private final long retryAfterSeconds;

    public RetryLaterException(int status, String code, String title, String detail, long retryAfterSeconds) {
        super(Problem.of(status, code, title, detail));
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static RetryLaterException rateLimited(long retryAfterSeconds) {
        return new RetryLaterException(429, "rate_limited", "Too many requests",
                "This tenant's request rate limit was reached; retry after the Retry-After seconds", retryAfterSeconds);
    }

    public static RetryLaterException tooManyQueuedJobs(int max) {
        return new RetryLaterException(429, "too_many_queued_jobs", "Too many queued jobs",
                "This tenant already has " + max + " queued or running jobs; submit again when some have finished", 30);
    }

    public static RetryLaterException tooManyStreams(int max) {
        return new RetryLaterException(429, "too_many_streams", "Too many event streams",
                "This tenant already holds " + max + " open event streams; close one, or retry after the Retry-After"
                        + " seconds", 10);
    }

    public static RetryLaterException overloaded() {
        return new RetryLaterException(503, "overloaded", "Overloaded",
                "The job queue is deeper than this deployment accepts; nothing was accepted, retry later", 30);
    }
}
