package dev.framewright.transcoder.media;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.ProbeOutput;
import java.nio.file.Path;

/** Writes the input's metadata as {@code probe.json}. */
public final class ProbeRenderer {

    private ProbeRenderer() {
    }

    public static RenderedOutput render(MediaInfo inputInfo, ProbeOutput spec, Path outDir) throws MediaException {
        throw new UnsupportedOperationException("ProbeRenderer is being written on branch media-stills");
    }
}
