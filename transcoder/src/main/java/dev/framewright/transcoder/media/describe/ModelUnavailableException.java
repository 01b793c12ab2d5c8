package dev.framewright.transcoder.media.describe;

/** The classifier model cannot be used: not configured, missing, corrupt, or not of the shape describe needs. */
public final class ModelUnavailableException extends Exception {

    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
