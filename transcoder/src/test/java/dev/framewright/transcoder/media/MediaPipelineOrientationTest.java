package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static dev.framewright.transcoder.media.ShapedTestMedia.assertUpright;
import static dev.framewright.transcoder.media.ShapedTestMedia.luma;
import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.HlsOutput;
import dev.framewright.events.ImageFormat;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.Overlay;
import dev.framewright.events.PreviewOutput;
import dev.framewright.events.StreamInfo;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.VideoOutput;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Phone clips stored landscape and shown portrait (display matrix or rotate tag) come out upright, in the displayed
 * size, from every output kind; a stream copy keeps the matrix. Each output is decoded without any autorotation and
 * its pixels checked, so a picture on its side or mirrored fails.
 */
class MediaPipelineOrientationTest {

    private static VideoOutput video(String name, Integer width, Integer height, Integer crf) {
        return new VideoOutput(name, null, width, height, null, crf, null, null, null, null, null);
    }

    @Test
    void aPortraitPhoneClipComesOutUprightFromEveryOutputKind() throws Exception {
        Path input = ShapedTestMedia.phone(720, 1280, 90); // stored 1280x720

        MediaPipeline.Outcome outcome = render(input, List.of(
                video("video", null, 640, 23),
                new HlsOutput("hls", List.of(new HlsOutput.Rendition(640, 800)), null),
                new PreviewOutput("preview", PreviewOutput.Format.GIF, null, 1.0, 180, 5.0),
                new ImageOutput("image", 100, null, null, 0.5, ImageFormat.PNG),
                new ThumbnailsOutput("thumbs", null, 2, 90, ImageFormat.PNG, true)));
        assertThat(outcome.failed()).isEmpty();

        Path mp4 = file(output(outcome, "video"), "video.mp4");
        MediaInfo media = MediaProbe.probe(mp4);
        assertThat(media.width()).isEqualTo(360);
        assertThat(media.height()).isEqualTo(640);
        assertThat(media.rotation()).as("upright pixels, no display matrix").isZero();
        assertThat(output(outcome, "video").media()).isEqualTo(media);
        int[][] picture = luma(mp4, 5);
        assertThat(picture[0]).hasSize(360);
        assertThat(picture).hasNumberOfRows(640);
        assertUpright(picture, "video");

        Path segment = file(output(outcome, "hls"), "640p/seg-00001.ts");
        assertThat(MediaProbe.probe(segment).width()).isEqualTo(360);
        assertUpright(luma(segment, 3), "hls 640p");

        Path gif = file(output(outcome, "preview"), "preview.gif");
        int[][] preview = luma(gif, 1);
        assertThat(preview[0]).hasSize(180);
        assertThat(preview).hasNumberOfRows(320);
        assertUpright(preview, "preview");

        int[][] image = luma(file(output(outcome, "image"), "image.png"), 0);
        assertThat(image[0]).hasSize(100);
        assertThat(image).hasNumberOfRows(178);
        assertUpright(image, "image");

        RenderedOutput thumbs = output(outcome, "thumbs");
        int[][] thumb = luma(file(thumbs, "thumb-00002.png"), 0);
        assertThat(thumb[0]).hasSize(90);
        assertThat(thumb).hasNumberOfRows(160);
        assertUpright(thumb, "thumbnail");
        int[][] sprite = luma(file(thumbs, "sprite.png"), 0);
        assertThat(sprite[0]).hasSize(180);
        assertThat(sprite).hasNumberOfRows(160);
    }

    @Test
    void anOverlayIsPlacedInTheDisplayedFrame() throws Exception {
        Path input = ShapedTestMedia.phone(720, 1280, 90);
        // a 40x40 PNG whose middle 20x20 is opaque white, scaled to 80 px: white at x 20..60 from the left edge
        Overlay overlay = new Overlay("logo", Overlay.Position.BOTTOM_LEFT, null, null, 0, 80, null, null, null);
        MediaPipeline.Outcome outcome = MediaPipelineTestSupport.render(input, List.of(new VideoOutput("video", null,
                null, 640, null, 20, null, null, null, null, overlay)), Map.of("logo", TestMedia.squarePng(0xFFFFFF)));
        int[][] picture = luma(file(output(outcome, "video"), "video.mp4"), 0);
        assertThat(picture[0]).hasSize(360);
        assertThat(picture[600][40]).as("the logo bottom-left of the portrait picture").isGreaterThan(200);
        assertThat(picture[600][320]).as("bottom-right").isLessThan(50);
        assertThat(picture[20][20]).as("the picture's own white block, top-left").isGreaterThan(200);
    }

    @ParameterizedTest
    @ValueSource(ints = {180, 270})
    void everyQuarterTurnIsShownUpright(int rotation) throws Exception {
        Path input = ShapedTestMedia.phone(rotation == 180 ? 640 : 360, rotation == 180 ? 360 : 640, rotation);
        int w = rotation == 180 ? 320 : 180;
        int h = rotation == 180 ? 180 : 320;

        MediaPipeline.Outcome outcome = render(input, List.of(
                video("video", w, null, 23),
                new ImageOutput("image", w, null, null, 0.5, ImageFormat.PNG),
                new ThumbnailsOutput("thumbs", null, 1, w, ImageFormat.PNG, null)));
        assertThat(outcome.failed()).isEmpty();

        int[][] picture = luma(file(output(outcome, "video"), "video.mp4"), 2);
        assertThat(picture[0]).hasSize(w);
        assertThat(picture).hasNumberOfRows(h);
        assertUpright(picture, "video " + rotation);
        assertUpright(luma(file(output(outcome, "image"), "image.png"), 0), "image " + rotation);
        assertUpright(luma(file(output(outcome, "thumbs"), "thumb-00001.png"), 0), "thumbnail " + rotation);
    }

    @Test
    void theProbeReportsTheRotationAndTheDisplayedSize() throws Exception {
        MediaInfo info = MediaProbe.probe(ShapedTestMedia.phone(720, 1280, 90));
        assertThat(info.width()).isEqualTo(720);
        assertThat(info.height()).isEqualTo(1280);
        assertThat(info.rotation()).isEqualTo(90);
        StreamInfo video = info.streams().get(0);
        assertThat(video.width()).as("stored").isEqualTo(1280);
        assertThat(video.height()).as("stored").isEqualTo(720);
        assertThat(video.displayWidth()).isEqualTo(720);
        assertThat(video.displayHeight()).isEqualTo(1280);
        assertThat(video.rotation()).isEqualTo(90);
        assertThat(video.sampleAspectRatio()).isNull();

        assertThat(MediaProbe.probe(ShapedTestMedia.phone(360, 640, 270)).rotation()).isEqualTo(270);
        assertThat(MediaProbe.probe(TestMedia.clip320WithAudio()).rotation()).isZero();
    }

    @Test
    void aStreamCopyKeepsTheDisplayMatrixAndASizeAskedForIsEncodedUpright() throws Exception {
        Path input = ShapedTestMedia.phone(720, 1280, 90);
        MediaPipeline.Outcome outcome = render(input, List.of(VideoOutput.of("copy", null, null),
                VideoOutput.of("sized", null, 640)));
        assertThat(outcome.failed()).isEmpty();

        Path copy = file(output(outcome, "copy"), "video.mp4");
        MediaInfo copied = MediaProbe.probe(copy);
        assertThat(copied.rotation()).as("the matrix travels with the packets").isEqualTo(90);
        assertThat(copied.width()).isEqualTo(720);
        assertThat(copied.height()).isEqualTo(1280);
        assertThat(luma(copy, 0)[0]).as("stored pixels, turned by the player").hasSize(1280);

        Path sized = file(output(outcome, "sized"), "video.mp4");
        assertThat(MediaProbe.probe(sized).rotation()).isZero();
        assertUpright(luma(sized, 0), "sized");
    }

    @Test
    void aLegacyRotateTagIsHonouredAndEncodedSinceACopyWouldDropIt() throws Exception {
        Path input = ShapedTestMedia.phoneRotateTag(); // stored 640x360, tag rotate=90
        MediaInfo probed = MediaProbe.probe(input);
        assertThat(probed.rotation()).isEqualTo(90);
        assertThat(probed.width()).isEqualTo(360);

        MediaPipeline.Outcome outcome = render(input, List.of(VideoOutput.of("plain", null, null)));
        Path mp4 = file(output(outcome, "plain"), "video.mp4");
        MediaInfo media = MediaProbe.probe(mp4);
        assertThat(media.rotation()).isZero();
        int[][] picture = luma(mp4, 0);
        assertThat(picture[0]).hasSize(360);
        assertThat(picture).hasNumberOfRows(640);
        assertUpright(picture, "tagged");
    }
}
