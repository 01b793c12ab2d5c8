package dev.framewright.api.job;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputSpec;
import java.util.List;

/**
 * An element of the read model's {@code jobs.outputs} jsonb column. Mirrors status-projector's {@code OutputState}:
 * the column's shape is the contract between the two services.
 */
public record StoredOutput(String name, String type, String status, Integer width, Integer height, Double atSeconds,
        List<OutputFile> files, MediaInfo media) {

    static StoredOutput queued(OutputSpec spec) {
        return new StoredOutput(spec.name(), spec.type().wireName(), "queued", spec.width(), spec.height(),
                spec.atSeconds(), List.of(), null);
    }
}
