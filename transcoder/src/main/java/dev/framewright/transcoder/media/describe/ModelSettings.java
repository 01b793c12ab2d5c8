package dev.framewright.transcoder.media.describe;

import dev.framewright.events.rules.OutputRules;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where this deployment's classifier model is ({@value OutputRules#DESCRIBE_MODEL}) and its labels
 * ({@value OutputRules#DESCRIBE_LABELS}; default beside the model, {@code NAME.labels.txt} for {@code NAME.onnx}).
 */
public record ModelSettings(Path model, Path labels) {

    /** The settings as configured; empty when no model is (describe outputs then fail with model_unavailable). */
    public static Optional<ModelSettings> of(Optional<String> model, Optional<String> labels) {
        return model.filter(m -> !m.isBlank()).map(m -> {
            Path path = Path.of(m.strip());
            Path labelFile = labels.filter(l -> !l.isBlank()).map(l -> Path.of(l.strip()))
                    .orElseGet(() -> defaultLabels(path));
            return new ModelSettings(path, labelFile);
        });
    }

    static Path defaultLabels(Path model) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(".onnx") ? name.substring(0, name.length() - ".onnx".length()) : name;
        return model.resolveSibling(stem + ".labels.txt");
    }
}
