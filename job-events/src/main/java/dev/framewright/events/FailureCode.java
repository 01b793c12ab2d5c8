package dev.framewright.events;

import java.util.Locale;

/** Stable codes carried by {@link JobFailed#code()}. New codes may be added; existing ones never change meaning. */
public enum FailureCode {
    /** The input is not media FFmpeg can decode, or has no stream the output needs. */
    UNSUPPORTED_MEDIA,
    /** The input object is gone from the store. */
    INPUT_MISSING,
    /** The output cannot be produced from this input with these parameters. */
    INVALID_OUTPUT,
    /** A bug or an environment problem on our side. */
    INTERNAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
