package dev.framewright.events.rules;

/**
 * One broken rule of a request.
 *
 * @param field   where, as the client writes it in JSON: {@code outputs[0].bitrate_kbps}, {@code labels["k"]}
 * @param message what is wrong, a sentence fragment for a person ("must be between 50 and 100000")
 */
public record Violation(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
