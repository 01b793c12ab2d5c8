package dev.framewright.transcoder.media;

import dev.framewright.events.ImageOutput;
import dev.framewright.events.MediaInfo;
import java.nio.file.Path;

/** One still: a frame of a video, or a resize of an image, fitted to a box. */
public final class ImageRenderer {

    private ImageRenderer() {
    }

    public static RenderedOutput render(Path input, MediaInfo inputInfo, ImageOutput spec, Path outDir)
            throws MediaException {
        throw new UnsupportedOperationException("ImageRenderer is being written on branch media-stills");
    }
}
