package dev.framewright.transcoder.media;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.ThumbnailsOutput;
import java.nio.file.Path;

/** Stills along a video, seeking to keyframes instead of decoding every frame; optional sprite sheet + WebVTT. */
public final class Thumbnails {

    private Thumbnails() {
    }

    public static RenderedOutput render(Path input, MediaInfo inputInfo, ThumbnailsOutput spec, Path outDir,
            ProgressListener progress) throws MediaException {
        throw new UnsupportedOperationException("Thumbnails is being written on branch media-stills");
    }
}
