package dev.framewright.transcoder.storage;

/** The object store did not answer, or answered with a server error: another try may succeed. */
public class StorageUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
