package dev.framewright.api.problem;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Hibernate Validator's violations as field errors named the way clients write them: {@code outputs[0].bitrate_kbps}. */
public final class Violations {

    private Violations() {
    }

    public static List<Problem.FieldError> fieldErrors(Collection<? extends ConstraintViolation<?>> violations) {
        return violations.stream().map(v -> new Problem.FieldError(field(v.getPropertyPath()), v.getMessage())).toList();
    }

    static String field(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            if (node.isInIterable()) {
                field.append('[').append(node.getIndex() != null ? node.getIndex() : "\"" + node.getKey() + "\"")
                        .append(']');
            }
            String name = node.getName();
            // Skip method/parameter nodes of validated REST parameters and the "<map key>"-style container nodes.
            if (name != null && !name.startsWith("<") && node.getKind() != jakarta.validation.ElementKind.METHOD
                    && node.getKind() != jakarta.validation.ElementKind.PARAMETER) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(snake(name));
            }
        }
        return field.isEmpty() ? "$" : field.toString();
    }

    public static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
