package dev.framewright.events;

/**
 * One output that could not be produced, while others of the same job may have been.
 *
 * @param code    a {@link FailureCode} wire name
 * @param message for humans
 */
public record OutputFailure(String name, OutputType type, String code, String message) {
}
