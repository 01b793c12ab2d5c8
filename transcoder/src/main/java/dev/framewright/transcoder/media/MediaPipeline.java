package dev.framewright.transcoder.media;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFailure;
import dev.framewright.events.OutputSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Renders every output of a job from one input, decoding the input once for all video-derived outputs. */
public final class MediaPipeline {

    private MediaPipeline() {
    }

    /** Progress of the whole pipeline; called often, implementations throttle. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param stage            {@code transcoding}, {@code stills} or {@code probe}
         * @param mediaSecondsDone input media time processed in this stage
         * @param fps              decode speed of this stage
         * @param outputPercent    0-100 per output name
         */
        void onProgress(String stage, double mediaSecondsDone, double fps, Map<String, Double> outputPercent);
    }

    /** Outputs that were rendered, and those that failed on their own (the others still ran). */
    public record Outcome(List<RenderedOutput> rendered, List<OutputFailure> failed) {
    }

    /**
     * @param overlayImages local files of the overlay images, by {@code Overlay.image()} object key
     * @throws MediaException when the job as a whole cannot proceed (input not decodable, limits)
     */
    public static Outcome render(Path input, MediaInfo inputInfo, List<OutputSpec> outputs,
            Map<String, Path> overlayImages, Path workDir, Listener listener) throws MediaException {
        throw new UnsupportedOperationException("MediaPipeline is being written on branch media-video");
    }
}
