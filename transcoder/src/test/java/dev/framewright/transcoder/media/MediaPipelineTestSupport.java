package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputSpec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Runs the pipeline and decodes what it wrote. */
final class MediaPipelineTestSupport {

    private MediaPipelineTestSupport() {
    }

    static MediaPipeline.Outcome render(Path input, List<OutputSpec> outputs) throws Exception {
        return render(input, outputs, Map.of());
    }

    static MediaPipeline.Outcome render(Path input, List<OutputSpec> outputs, Map<String, Path> overlays)
            throws Exception {
        MediaInfo info = MediaProbe.probe(input);
        return MediaPipeline.render(input, info, outputs, overlays, TestMedia.newDir(), null);
    }

    static RenderedOutput output(MediaPipeline.Outcome outcome, String name) {
        assertThat(outcome.failed()).as("failures").noneMatch(f -> f.name().equals(name));
        return outcome.rendered().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    static Path file(RenderedOutput out, String path) {
        return out.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow().local();
    }

    /** Blue, green, red at pixel (x, y) of the first decoded frame at or after {@code seconds}. */
    static int[] bgrAt(Path file, double seconds, int x, int y) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                if (f.timestamp / 1e6 >= seconds - 0.001) {
                    ByteBuffer buf = (ByteBuffer) f.image[0];
                    int off = y * f.imageStride + x * 3;
                    return new int[] {buf.get(off) & 0xff, buf.get(off + 1) & 0xff, buf.get(off + 2) & 0xff};
                }
            }
        }
        throw new AssertionError("no frame at " + seconds + " s in " + file);
    }
}
