package dev.framewright.projector.fold;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputSpec;
import java.util.List;

/**
 * One output as the read model shows it, an element of {@code jobs.outputs} (jsonb, written with the contract's
 * mapper, so camelCase). job-api reads the same shape.
 *
 * @param type     the {@link dev.framewright.events.OutputType} wire name; null until the request is folded
 * @param status   a {@link JobStatus} wire name
 * @param spec     what was requested, as the contract writes it; null until the request is folded
 * @param progress 0 to 100 in the current attempt
 * @param files     what it produced (the principal files only when {@code manifest} is set); empty until it succeeded
 * @param error     why it failed; null otherwise
 * @param fileCount files it produced in all, as the terminal event said; null before it succeeded
 * @param manifest  object key of the manifest listing every file, when the event listed only some
 */
public record OutputState(String name, String type, String status, OutputSpec spec, double progress,
        List<OutputFile> files, MediaInfo media, Error error, Integer fileCount, String manifest) {

    /** A failure of one output, {@code code} a {@link dev.framewright.events.FailureCode} wire name. */
    public record Error(String code, String message) {
    }

    @JsonCreator
    public OutputState {
        files = files == null ? List.of() : List.copyOf(files);
    }

    public OutputState(String name, String type, String status, OutputSpec spec, double progress,
            List<OutputFile> files, MediaInfo media, Error error) {
        this(name, type, status, spec, progress, files, media, error, null, null);
    }

    static OutputState of(OutputSpec spec, JobStatus status) {
        return new OutputState(spec.name(), spec.type().wireName(), status.wireName(), spec, 0, List.of(), null, null);
    }

    /** An output the row learns of from a lifecycle event before the request that describes it. */
    static OutputState unknown(String name, String type, JobStatus status) {
        return new OutputState(name, type, status.wireName(), null, 0, List.of(), null, null);
    }

    OutputState withSpec(OutputSpec newSpec) {
        return new OutputState(name, newSpec.type().wireName(), status, newSpec, progress, files, media, error,
                fileCount, manifest);
    }

    OutputState withStatus(JobStatus newStatus) {
        return new OutputState(name, type, newStatus.wireName(), spec, progress, files, media, error, fileCount,
                manifest);
    }

    OutputState withProgress(double newProgress) {
        return new OutputState(name, type, status, spec, newProgress, files, media, error, fileCount, manifest);
    }

    OutputState requeued(OutputSpec newSpec) {
        return new OutputState(name, newSpec.type().wireName(), JobStatus.QUEUED.wireName(), newSpec, 0, List.of(),
                null, null);
    }

    OutputState succeeded(String resultType, List<OutputFile> producedFiles, MediaInfo producedMedia) {
        return succeeded(resultType, producedFiles, producedMedia, fileCount, manifest);
    }

    OutputState succeeded(String resultType, List<OutputFile> producedFiles, MediaInfo producedMedia,
            Integer producedCount, String producedManifest) {
        return new OutputState(name, type != null ? type : resultType, JobStatus.SUCCEEDED.wireName(), spec, 100,
                producedFiles, producedMedia, null, producedCount, producedManifest);
    }

    OutputState failed(String resultType, String code, String message) {
        return new OutputState(name, type != null ? type : resultType, JobStatus.FAILED.wireName(), spec, progress,
                List.of(), null, new Error(code, message));
    }

    public JobStatus jobStatus() {
        return JobStatus.fromWire(status);
    }

    public boolean isTerminal() {
        return jobStatus().isTerminal();
    }
}
