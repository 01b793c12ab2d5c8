package dev.framewright.transcoder.media;

import dev.framewright.events.FailureCode;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.ProbeOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the input's metadata as {@code probe.json}. */
public final class ProbeRenderer {

    static final String FILE = "probe.json";

    private ProbeRenderer() {
    }

    /**
     * @param inputInfo the input as {@link MediaProbe#probe} describes it, streams included
     * @param outDir    the output's directory (created if missing)
     * @return {@code probe.json}: the {@link MediaInfo} as the contract's mapper writes it (camelCase, nulls left
     *         out), pretty printed; no media of its own
     */
    public static RenderedOutput render(MediaInfo inputInfo, ProbeOutput spec, Path outDir) throws MediaException {
        if (inputInfo == null) {
            throw new MediaException(FailureCode.INTERNAL, "the input was not probed");
        }
        Path file = outDir.resolve(FILE);
        try {
            Files.createDirectories(outDir);
            JobEventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), inputInfo);
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot write " + FILE, e);
        }
        return new RenderedOutput(spec.name(), spec.type(),
                List.of(new RenderedOutput.File(FILE, file, "application/json")), null);
    }
}
