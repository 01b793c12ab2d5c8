package dev.framewright.transcoder.worker;

import dev.framewright.events.FailureCode;
import dev.framewright.transcoder.media.MediaException;
import dev.framewright.transcoder.storage.StorageUnavailableException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which failures get another attempt and how long to wait before it. Transient: the store was unavailable, the
 * pipeline stalled, an internal error (including a Kafka send that failed). Permanent: anything about the input or
 * the request (unsupported_media, invalid_output, limits_exceeded, input_missing) and timeout — running them again
 * gives the same answer.
 */
record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    static FailureCode classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MediaException m) {
                return m.code();
            }
            if (t instanceof StorageUnavailableException) {
                return FailureCode.STORAGE_UNAVAILABLE;
            }
        }
        return FailureCode.INTERNAL;
    }

    static boolean retryable(FailureCode code) {
        return code.transientFailure();
    }

    /** Whether a delivery that made {@code attemptsMade} attempts and failed with {@code code} tries again. */
    boolean retryAfter(FailureCode code, int attemptsMade) {
        return retryable(code) && attemptsMade < maxAttempts;
    }

    /** Exponential: initial × 2^(retry-1), capped, then scaled by a random 50-100 % so workers don't retry in step. */
    Duration backoff(int retry) {
        long base = initialBackoff.toMillis() << Math.min(20, Math.max(0, retry - 1));
        long capped = Math.min(base, maxBackoff.toMillis());
        return Duration.ofMillis((long) (capped * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble())));
    }
}
