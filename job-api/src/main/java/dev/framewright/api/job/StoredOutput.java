package dev.framewright.api.job;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputSpec;
import java.util.List;

/**
 * An element of the read model's {@code jobs.outputs} jsonb column, camelCase as the contract's mapper writes it.
 * Mirrors status-projector's {@code OutputState}: the column's shape is the contract between the two services.
 *
 * @param progress percent done of this output, when the worker reported it
 */
public record StoredOutput(String name, String type, String status, OutputSpec spec, Double progress,
        List<OutputFile> files, MediaInfo media, StoredError error) {

    public record StoredError(String code, String message) {
    }

    static StoredOutput queued(OutputSpec spec) {
        return new StoredOutput(spec.name(), spec.type().wireName(), "queued", spec, 0.0, List.of(), null, null);
    }

    boolean succeeded() {
        return "succeeded".equals(status);
    }
}
