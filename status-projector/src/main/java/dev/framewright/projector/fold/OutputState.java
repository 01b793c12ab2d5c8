package dev.framewright.projector.fold;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputSpec;
import java.util.List;

/**
 * One output as the read model shows it. Stored in {@code jobs.outputs} (jsonb); job-api reads the same shape.
 */
public record OutputState(String name, String type, String status, Integer width, Integer height, Double atSeconds,
        List<OutputFile> files, MediaInfo media) {

    public static OutputState queued(OutputSpec spec) {
        return new OutputState(spec.name(), spec.type().wireName(), JobStatus.QUEUED.wireName(), spec.width(),
                spec.height(), spec.atSeconds(), List.of(), null);
    }

    public OutputState withStatus(JobStatus status) {
        return new OutputState(name, type, status.wireName(), width, height, atSeconds, files, media);
    }

    public OutputState succeeded(List<OutputFile> producedFiles, MediaInfo producedMedia) {
        return new OutputState(name, type, JobStatus.SUCCEEDED.wireName(), width, height, atSeconds,
                List.copyOf(producedFiles), producedMedia);
    }

    public boolean isTerminal() {
        return JobStatus.fromWire(status).isTerminal();
    }
}
