package dev.framewright.transcoder.media;

import dev.framewright.events.FailureCode;
import java.util.Objects;

/**
 * A media operation failed. {@link #code()} says whose fault it is; the message is a short, human-readable sentence
 * (safe to put into a {@code JobFailed} event), never a stack trace.
 */
public class MediaException extends Exception {

    private static final long serialVersionUID = 1L;

    private final FailureCode code;

    public MediaException(FailureCode code, String message) {
        this(code, message, null);
    }

    public MediaException(FailureCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public FailureCode code() {
        return code;
    }
}
