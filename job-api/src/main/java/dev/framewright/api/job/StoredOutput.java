package dev.framewright.api.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputSpec;
import java.util.List;

/**
 * An element of the read model's {@code jobs.outputs} jsonb column, camelCase as the contract's mapper writes it.
 * Mirrors status-projector's {@code OutputState}: the column's shape is the contract between the two services.
 *
 * @param progress  percent done of this output, when the worker reported it
 * @param files     the files the terminal event listed: all, or the principal ones when {@code manifest} is set
 * @param fileCount files the output has in all; null from older events
 * @param manifest  object key of the {@link dev.framewright.events.OutputManifest} listing every file, or null
 */
public record StoredOutput(String name, String type, String status, OutputSpec spec, Double progress,
        List<OutputFile> files, MediaInfo media, StoredError error, Integer fileCount, String manifest) {

    @JsonCreator
    public StoredOutput {
    }

    public StoredOutput(String name, String type, String status, OutputSpec spec, Double progress,
            List<OutputFile> files, MediaInfo media, StoredError error) {
        this(name, type, status, spec, progress, files, media, error, null, null);
    }

    public record StoredError(String code, String message) {
    }

    static StoredOutput queued(OutputSpec spec) {
        return new StoredOutput(spec.name(), spec.type().wireName(), "queued", spec, 0.0, List.of(), null, null);
    }

    boolean succeeded() {
        return "succeeded".equals(status);
    }
}
