package dev.framewright.events.rules;

import java.time.Duration;

/**
 * Operator limits that more than one service applies. A job's own value may only lower them: a tenant never lifts
 * what the operator set.
 */
public final class JobLimits {

    /**
     * The longest one attempt may run, read under this one name by job-api (which refuses a larger
     * {@code max_duration_seconds}) and by the transcoder (which never waits longer, whatever a record says).
     * Environment: {@code FRAMEWRIGHT_TRANSCODER_MAX_JOB_DURATION}.
     */
    public static final String MAX_JOB_DURATION = "framewright.transcoder.max-job-duration";
    public static final String DEFAULT_MAX_JOB_DURATION = "2h";

    /**
     * The longest start deadline a job may ask for ({@code start_within_seconds}, 1 to this): a week, the default
     * retention, past which the input may be gone anyway.
     */
    public static final int MAX_START_WITHIN_SECONDS = 7 * 24 * 3600;

    /**
     * The most an inline input ({@code input.base64} of a JSON submission) may decode to. The body is held in memory
     * while it is read, so larger media go through {@code POST /v1/uploads}; an operator may only lower it
     * ({@code framewright.limits.max-inline-input-bytes}).
     */
    public static final int MAX_INLINE_INPUT_BYTES = 4 * 1024 * 1024;

    private JobLimits() {
    }

    /** How long an attempt may run: the request's {@code maxDurationSeconds} when it is positive and lower. */
    public static Duration maxDuration(Integer requestedSeconds, Duration operatorMax) {
        if (requestedSeconds == null || requestedSeconds <= 0) {
            return operatorMax;
        }
        Duration requested = Duration.ofSeconds(requestedSeconds);
        return requested.compareTo(operatorMax) < 0 ? requested : operatorMax;
    }
}
