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
import dev.framewright.events.PreviewOutput;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.VideoOutput;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code "autorotate": false}: the raw stored frame of a phone clip (stored 640x360 landscape with a 90° display
 * matrix, shown 360x640), beside the upright default in the same job. Outputs are decoded without autorotation: a
 * raw picture shows the pattern on its side (upright once turned by the source's 90°), an upright one shows it as is.
 */
class AutorotateOptOutTest {

    @Test
    void theOptOutGivesTheStoredFramesAndTheDefaultTheUprightOnesInOneJob() throws Exception {
        Path input = ShapedTestMedia.phone(360, 640, 90);

        MediaPipeline.Outcome outcome = render(input, List.of(
                new VideoOutput("upright", null, null, null, null, 23, null, false, null, null, null),
                new VideoOutput("raw", null, null, 180, null, 23, null, false, null, null, null, null, null, null,
                        null, false),
                new HlsOutput("hls", List.of(new HlsOutput.Rendition(180, 400)), null, null, null, null, false),
                new PreviewOutput("preview", PreviewOutput.Format.GIF, null, 1.0, 160, 5.0, false),
                new ImageOutput("image", null, null, null, 0.5, ImageFormat.PNG),
                new ImageOutput("rawimage", null, null, null, 0.5, ImageFormat.PNG, null, false),
                new ThumbnailsOutput("thumbs", null, 1, 160, ImageFormat.PNG, null, false)));
        assertThat(outcome.failed()).isEmpty();

        int[][] upright = luma(file(output(outcome, "upright"), "video.mp4"), 3);
        assertThat(upright[0]).hasSize(360);
        assertThat(upright).hasNumberOfRows(640);
        assertUpright(upright, "default video");
        assertThat(MediaProbe.probe(file(output(outcome, "upright"), "video.mp4")).rotation()).isZero();

        // raw: the box is in stored pixels (height 180 of the 640x360 frame), the matrix kept for players
        Path rawMp4 = file(output(outcome, "raw"), "video.mp4");
        int[][] raw = luma(rawMp4, 3);
        assertThat(raw[0]).hasSize(320);
        assertThat(raw).hasNumberOfRows(180);
        assertStored(raw, "raw video");
        MediaInfo rawInfo = MediaProbe.probe(rawMp4);
        assertThat(rawInfo.rotation()).as("the display matrix kept").isEqualTo(90);
        assertThat(rawInfo.streams().get(0).width()).as("stored").isEqualTo(320);
        assertThat(rawInfo.width()).as("displayed").isEqualTo(180);

        int[][] segment = luma(file(output(outcome, "hls"), "180p/seg-00001.ts"), 2);
        assertThat(segment[0]).hasSize(320);
        assertStored(segment, "raw hls");

        int[][] gif = luma(file(output(outcome, "preview"), "preview.gif"), 1);
        assertThat(gif[0]).hasSize(160);
        assertThat(gif).hasNumberOfRows(90);
        assertStored(gif, "raw preview");

        int[][] image = luma(file(output(outcome, "image"), "image.png"), 0);
        assertThat(image[0]).hasSize(360);
        assertUpright(image, "default image");
        int[][] rawImage = luma(file(output(outcome, "rawimage"), "image.png"), 0);
        assertThat(rawImage[0]).hasSize(640);
        assertThat(rawImage).hasNumberOfRows(360);
        assertStored(rawImage, "raw image");

        int[][] thumb = luma(file(output(outcome, "thumbs"), "thumb-00001.png"), 0);
        assertThat(thumb[0]).hasSize(160);
        assertThat(thumb).hasNumberOfRows(90);
        assertStored(thumb, "raw thumbnail");
    }

    /** The stored frame of a source turned 90° clockwise for display: upright once turned so, and not as it is. */
    private static void assertStored(int[][] luma, String what) {
        assertUpright(turn90(luma), what + " turned by the source's 90°");
        assertThat(luma[(int) (luma.length * 0.08)][(int) (luma[0].length * 0.08)])
                .as(what + ": the displayed top-left block is not top-left in the stored frame").isLessThan(200);
    }

    /** The picture turned a quarter clockwise. */
    private static int[][] turn90(int[][] in) {
        int h = in.length;
        int w = in[0].length;
        int[][] out = new int[w][h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[x][h - 1 - y] = in[y][x];
            }
        }
        return out;
    }
}
