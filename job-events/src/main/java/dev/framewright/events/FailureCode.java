package dev.framewright.events;

import java.util.Locale;

/** Stable codes carried by {@link JobFailed#code()}. New codes may be added; existing ones never change meaning. */
public enum FailureCode {
    /** The input is not media FFmpeg can decode (or not one it may open), or has no stream the output needs. */
    UNSUPPORTED_MEDIA,
    /** The input object is gone from the store. */
    INPUT_MISSING,
    /** The input object is not the one the job was accepted with: overwritten (or grown) after the job was accepted. */
    INPUT_CHANGED,
    /** The output cannot be produced from this input with these parameters. */
    INVALID_OUTPUT,
    /** The input is beyond the configured limits: pixels, frame rate, duration, stream count or size. */
    LIMITS_EXCEEDED,
    /** An attempt ran past the job's maximum duration. */
    TIMEOUT,
    /** The pipeline stopped advancing through the media, on every attempt. */
    STALLED,
    /** Attempts kept ending without a result (workers crashed); the job was set aside instead of retried forever. */
    QUARANTINED,
    /** Object storage stayed unavailable through every retry. */
    STORAGE_UNAVAILABLE,
    /** A bug or an environment problem on our side. */
    INTERNAL,
    /**
     * The job's result could not be reported: its terminal event stayed larger than the event bus accepts, even with
     * long file lists moved to manifests. The outputs may be stored; the job is failed so its queue moves on.
     */
    OUTPUT_TOO_LARGE,
    /**
     * No worker took the job before its start deadline ({@code start_within_seconds}): it was failed unstarted, no
     * attempt made and nothing read, because nobody waits for its answer any more.
     */
    START_DEADLINE_EXCEEDED,
    /**
     * A {@code describe} output reached a deployment without a classifier model configured
     * ({@code FRAMEWRIGHT_DESCRIBE_MODEL}), or whose model does not load: no labels are ever made up instead.
     */
    MODEL_UNAVAILABLE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether another attempt may succeed where this one failed. */
    public boolean transientFailure() {
        return this == STORAGE_UNAVAILABLE || this == STALLED || this == INTERNAL;
    }
}
