package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.bgrAt;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.Overlay;
import dev.framewright.events.VideoOutput;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaPipelineOverlayTest {

    private static final String KEY = "uploads/default/logo";

    /** A red square with a transparent border on flat grey: red inside the window, grey outside and in the border. */
    @Test
    void blendsTheImageAtXyInsideItsTimeWindowOnly() throws Exception {
        // 40x40 image (20x20 opaque square at 10..30) scaled to 80 px: square at x 120..160, y 80..120
        Overlay overlay = new Overlay(KEY, null, 100, 60, null, 80, null, 0.5, 1.5);
        Path mp4 = overlaid(overlay, TestMedia.squarePng(0xFF0000));

        assertRed(bgrAt(mp4, 1.0, 140, 100));
        assertRed(bgrAt(mp4, 0.52, 125, 85));
        assertGrey(bgrAt(mp4, 1.0, 105, 65)); // the transparent border stays see-through
        assertGrey(bgrAt(mp4, 1.0, 175, 135));
        assertGrey(bgrAt(mp4, 0.2, 140, 100)); // before the window
        assertGrey(bgrAt(mp4, 1.8, 140, 100)); // after it
    }

    @Test
    void namedCornerWithDefaultMarginAndOpacity() throws Exception {
        // 640x360 output: margin 2 % of 640 = 13; image 40 px at bottom-right: x 587 -> 586, y 307 -> 306
        Overlay overlay = new Overlay(KEY, Overlay.Position.BOTTOM_RIGHT, null, null, null, null, 0.5, null, null);
        Path mp4 = overlaid(overlay, TestMedia.squarePng(0x0000FF));
        int[] half = bgrAt(mp4, 0.0, 606, 326);
        // half blue over grey 128: blue about (255 + 128) / 2, red and green about 64
        assertThat(half[0]).as("blue").isCloseTo(191, within(20));
        assertThat(half[1]).as("green").isCloseTo(64, within(20));
        assertThat(half[2]).as("red").isCloseTo(64, within(20));
        assertGrey(bgrAt(mp4, 0.0, 590, 310)); // transparent border
        assertGrey(bgrAt(mp4, 0.0, 580, 326)); // left of the image
    }

    private static Path overlaid(Overlay overlay, Path png) throws Exception {
        VideoOutput spec = new VideoOutput("logo", null, null, null, null, 18, null, null, null, null, overlay);
        MediaPipeline.Outcome outcome = render(TestMedia.grey640x360(), List.of(spec), Map.of(KEY, png));
        return file(output(outcome, "logo"), "video.mp4");
    }

    private static void assertRed(int[] bgr) {
        assertThat(bgr[2]).as("red").isGreaterThan(220);
        assertThat(bgr[1]).as("green").isLessThan(40);
        assertThat(bgr[0]).as("blue").isLessThan(40);
    }

    private static void assertGrey(int[] bgr) {
        for (int c : bgr) {
            assertThat(c).as("grey").isCloseTo(128, within(10));
        }
    }
}
