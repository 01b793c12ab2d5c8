package dev.framewright.cli;

/** Ends a command with a message on stderr and a documented exit code (see {@link Main}). */
public class CliException extends RuntimeException {

    final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
