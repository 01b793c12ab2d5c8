package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static dev.framewright.transcoder.media.ShapedTestMedia.assertUpright;
import static dev.framewright.transcoder.media.ShapedTestMedia.combing;
import static dev.framewright.transcoder.media.ShapedTestMedia.luma;
import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.ImageFormat;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.VideoOutput;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Anamorphic SD (non-square pixels) is shown at its display aspect ratio in square pixels by every output, never
 * stream-copied; interlaced MPEG-2 is deinterlaced (bwdif) before anything is scaled, in encodes and stills, which a
 * combing measure on the decoded outputs shows.
 */
class MediaPipelineScanAndAspectTest {

    @ParameterizedTest
    @CsvSource({"16, 15, 768, 120", "64, 45, 1024, 90"})
    void anamorphicPixelsAreShownAtTheirDisplayAspectRatio(int num, int den, int displayWidth, int thumbHeight)
            throws Exception {
        Path input = ShapedTestMedia.anamorphic(num, den);
        MediaInfo probed = MediaProbe.probe(input);
        assertThat(probed.width()).as("displayed").isEqualTo(displayWidth);
        assertThat(probed.height()).isEqualTo(576);
        assertThat(probed.streams().get(0).width()).as("stored").isEqualTo(720);
        assertThat(probed.streams().get(0).sampleAspectRatio()).isEqualTo(num + ":" + den);

        MediaPipeline.Outcome outcome = render(input, List.of(VideoOutput.of("video", null, null),
                VideoOutput.of("small", null, 288), ImageOutput.of("image", null, null),
                new ThumbnailsOutput("thumbs", null, 1, 160, ImageFormat.PNG, null)));
        assertThat(outcome.failed()).isEmpty();

        Path mp4 = file(output(outcome, "video"), "video.mp4");
        assertSquarePixels(mp4, displayWidth, 576);
        assertUpright(luma(mp4, 0), "video");
        assertSquarePixels(file(output(outcome, "small"), "video.mp4"), displayWidth / 2, 288);
        int[][] image = luma(file(output(outcome, "image"), "image.jpg"), 0);
        assertThat(image[0]).hasSize(displayWidth);
        assertThat(image).hasNumberOfRows(576);
        assertUpright(image, "image");
        int[][] thumb = luma(file(output(outcome, "thumbs"), "thumb-00001.png"), 0);
        assertThat(thumb[0]).hasSize(160);
        assertThat(thumb).as("the 4:3 or 16:9 shape").hasNumberOfRows(thumbHeight);
    }

    @Test
    void interlacedBroadcastIsDeinterlacedInEncodesAndStills() throws Exception {
        Path input = ShapedTestMedia.interlacedTs();
        MediaInfo probed = MediaProbe.probe(input);
        assertThat(probed.streams().get(0).fieldOrder()).isIn("tt", "bb", "tb", "bt");

        double raw = combing(luma(input, 10));
        assertThat(raw).as("the woven source combs").isGreaterThan(3);

        MediaPipeline.Outcome outcome = render(input, List.of(
                new VideoOutput("video", null, null, null, null, 16, null, null, null, null, null),
                VideoOutput.of("plain", null, null),
                new ImageOutput("image", null, null, null, 0.4, ImageFormat.PNG)));
        assertThat(outcome.failed()).isEmpty();

        Path mp4 = file(output(outcome, "video"), "video.mp4");
        MediaInfo media = MediaProbe.probe(mp4);
        assertThat(media.width()).isEqualTo(720);
        assertThat(media.height()).isEqualTo(576);
        assertThat(media.frameRate()).as("one frame per frame (bwdif send_frame)").isBetween(24.9, 25.1);
        assertThat(TestMedia.countVideoFrames(mp4)).isBetween(49, 50);
        double encoded = combing(luma(mp4, 10));
        assertThat(encoded).as("deinterlaced encode, raw " + raw).isLessThan(1.5);
        assertThat(combing(luma(file(output(outcome, "plain"), "video.mp4"), 10))).as("never a copy").isLessThan(1.5);
        double still = combing(luma(file(output(outcome, "image"), "image.png"), 0));
        assertThat(still).as("deinterlaced still, raw " + raw).isLessThan(1.5);
    }

    private static void assertSquarePixels(Path file, int width, int height) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            assertThat(g.getImageWidth()).isEqualTo(width);
            assertThat(g.getImageHeight()).isEqualTo(height);
            double sar = g.getAspectRatio();
            assertThat(sar == 0 || Math.abs(sar - 1) < 1e-6).as("square pixels, was " + sar).isTrue();
        }
    }
}
