package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static dev.framewright.transcoder.media.ShapedTestMedia.luma;
import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.Container;
import dev.framewright.events.ImageFormat;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.StreamInfo;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.VideoOutput;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;

/**
 * Colour, decoded: HDR (PQ and HLG BT.2020, 10-bit HEVC) comes out tone-mapped to SDR BT.709 in encodes and stills,
 * with a known level landing where SDR puts it; every encode is tagged, untagged SDR by its size; a variable-rate
 * phone clip becomes a constant-rate output whose picture and sound stay together.
 */
class MediaPipelineColourTest {

    @Test
    void pqHdrIsToneMappedToSdrBt709NotSqueezedInto8Bits() throws Exception {
        Path input = ColourTestMedia.pq();
        StreamInfo probed = MediaProbe.probe(input).streams().get(0);
        assertThat(List.of(probed.colorPrimaries(), probed.colorTransfer(), probed.colorSpace(), probed.colorRange()))
                .containsExactly("bt2020", "smpte2084", "bt2020nc", "tv");
        // PQ codes squeezed into 8 bits would read 127 (100 nits) and 181 (1000 nits)
        assertToneMapped(input, 150, 235);
    }

    @Test
    void hlgHdrIsToneMappedToSdrBt709() throws Exception {
        Path input = ColourTestMedia.hlg();
        assertThat(MediaProbe.probe(input).streams().get(0).colorTransfer()).isEqualTo("arib-std-b67");
        // HLG 75 % is HDR reference white: near SDR white, not clipped to the same level as brighter ones
        assertToneMapped(input, 110, 200);
    }

    private static void assertToneMapped(Path input, int leftMin, int leftMax) throws Exception {
        MediaPipeline.Outcome outcome = render(input, List.of(VideoOutput.of("video", null, null),
                new VideoOutput("webm", Container.WEBM, null, 180, null, 30, null, null, null, null, null),
                new ImageOutput("image", null, null, null, 0.5, ImageFormat.PNG),
                new ThumbnailsOutput("thumbs", null, 1, 320, ImageFormat.JPG, null)));
        assertThat(outcome.failed()).isEmpty();

        Path mp4 = file(output(outcome, "video"), "video.mp4");
        assertTagged(mp4, "bt709", "bt709", "bt709");
        int[] mp4Levels = halves(luma8Limited(mp4));
        System.out.println(input.getFileName() + " -> H.264 luma " + java.util.Arrays.toString(mp4Levels));
        assertThat(mp4Levels[0]).as("the lower patch, limited-range luma " + java.util.Arrays.toString(mp4Levels))
                .isBetween(leftMin, leftMax);
        assertThat(mp4Levels[1]).as("the brighter patch keeps its highlight " + java.util.Arrays.toString(mp4Levels))
                .isGreaterThan(mp4Levels[0] + 20).isLessThanOrEqualTo(240);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            assertThat(g.getFormatContext().streams(g.getVideoStream()).codecpar().format()).as("8-bit 4:2:0")
                    .isEqualTo(avutil.AV_PIX_FMT_YUV420P);
        }

        Path webm = file(output(outcome, "webm"), "video.webm");
        assertTagged(webm, "bt709", "bt709", "bt709");
        int[] webmLevels = halves(luma8Limited(webm));
        assertThat(webmLevels[0]).as("VP9 " + java.util.Arrays.toString(webmLevels)).isBetween(leftMin - 3,
                leftMax + 3);

        // stills are sRGB, full range: the same levels stretched from 16-235 to 0-255
        for (Path still : List.of(file(output(outcome, "image"), "image.png"),
                file(output(outcome, "thumbs"), "thumb-00001.jpg"))) {
            int[] levels = halves(luma(still, 0));
            int leftFull = (mp4Levels[0] - 16) * 255 / 219;
            assertThat(levels[0]).as(still.getFileName() + " " + java.util.Arrays.toString(levels))
                    .isBetween(leftFull - 8, leftFull + 8);
            assertThat(levels[1]).as(still.getFileName() + " highlight").isGreaterThan(levels[0] + 20);
        }
    }

    @Test
    void untaggedSdrIsTaggedBySizeSdAsBt601AndHdAsBt709() throws Exception {
        assertThat(MediaProbe.probe(TestMedia.clip640x480()).streams().get(0).colorPrimaries())
                .as("the generated input is untagged").isNull();
        MediaPipeline.Outcome sd = render(TestMedia.clip640x480(), List.of(
                new VideoOutput("video", null, null, null, null, 30, null, null, null, null, null)));
        assertTagged(file(output(sd, "video"), "video.mp4"), "smpte170m", "smpte170m", "smpte170m");

        MediaPipeline.Outcome hd = render(TestMedia.clip720WithAudio(), List.of(
                new VideoOutput("video", null, null, 360, null, null, null, null, null, null, null),
                new VideoOutput("webm", Container.WEBM, null, 180, null, 30, null, null, null, null, null)));
        assertTagged(file(output(hd, "video"), "video.mp4"), "bt709", "bt709", "bt709");
        assertTagged(file(output(hd, "webm"), "video.webm"), "bt709", "bt709", "bt709");
    }

    @Test
    void taggedSdrKeepsItsTags() throws Exception {
        MediaPipeline.Outcome first = render(TestMedia.clip640x480(), List.of(
                new VideoOutput("video", null, null, null, null, 30, null, null, null, null, null)));
        // the tagged encode of an untagged source is now the input: its tags survive another encode at HD size
        Path tagged = file(output(first, "video"), "video.mp4");
        MediaPipeline.Outcome again = render(tagged, List.of(
                new VideoOutput("video", null, 1280, 960, null, 30, null, null, null, null, null)));
        assertTagged(file(output(again, "video"), "video.mp4"), "smpte170m", "smpte170m", "smpte170m");
    }

    @Test
    void variableFrameRateBecomesConstantRateInSyncAndOfTheSourceDuration() throws Exception {
        Path input = ColourTestMedia.vfr();
        MediaInfo probed = MediaProbe.probe(input);
        assertThat(probed.durationSeconds()).isBetween(3.9, 4.1);
        List<Double> srcGaps = frameGaps(input);
        assertThat(srcGaps.stream().mapToDouble(d -> d).max().orElse(0)
                - srcGaps.stream().mapToDouble(d -> d).min().orElse(0)).as("the source is variable rate")
                .isGreaterThan(0.04);

        MediaPipeline.Outcome outcome = render(input, List.of(
                new VideoOutput("video", null, null, null, 30.0, null, null, null, null, null, null),
                new VideoOutput("webm", Container.WEBM, null, null, 25.0, 30, null, null, null, null, null)));
        assertThat(outcome.failed()).isEmpty();
        for (String name : List.of("video", "webm")) {
            double fps = name.equals("video") ? 30 : 25;
            Path out = file(output(outcome, name), name.equals("video") ? "video.mp4" : "video.webm");
            List<Double> gaps = frameGaps(out);
            for (double gap : gaps) {
                assertThat(gap).as(name + ": every frame lasts 1/fps").isBetween(1 / fps - 0.002, 1 / fps + 0.002);
            }
            MediaInfo media = MediaProbe.probe(out);
            assertThat(media.durationSeconds()).as(name + " duration").isBetween(
                    probed.durationSeconds() - 1 / fps, probed.durationSeconds() + 1 / fps + 0.03);
            assertThat(gaps.size() + 1).as(name + " frames").isBetween((int) (ColourTestMedia.VFR_SECONDS * fps) - 2,
                    (int) (ColourTestMedia.VFR_SECONDS * fps) + 1);
            double[] video = onsets(out, true);
            double[] audio = onsets(out, false);
            for (int i = 0; i < ColourTestMedia.SYNC_MARKS.length; i++) {
                String what = name + " mark " + ColourTestMedia.SYNC_MARKS[i] + ": video " + video[i] + " audio "
                        + audio[i];
                assertThat(Math.abs(video[i] - audio[i])).as(what + " in sync within a frame")
                        .isLessThanOrEqualTo(1 / fps + 0.001);
                assertThat(Math.abs(video[i] - ColourTestMedia.SYNC_MARKS[i])).as(what)
                        .isLessThanOrEqualTo(1 / fps + 0.001);
            }
        }
    }

    // ---------------------------------------------------------------- decoding helpers

    private static void assertTagged(Path file, String primaries, String transfer, String matrix) throws Exception {
        StreamInfo v = MediaProbe.probe(file).streams().stream().filter(s -> s.kind().equals("video")).findFirst()
                .orElseThrow();
        assertThat(List.of(String.valueOf(v.colorPrimaries()), String.valueOf(v.colorTransfer()),
                String.valueOf(v.colorSpace()), String.valueOf(v.colorRange()))).as(file.getFileName() + " tags")
                .containsExactly(primaries, transfer, matrix, "tv");
    }

    /** The first picture's luma plane as coded (8-bit limited range), not converted. */
    private static int[][] luma8Limited(Path file) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            g.start();
            Frame f = g.grabImage();
            java.nio.ByteBuffer buf = (java.nio.ByteBuffer) f.image[0];
            int[][] out = new int[f.imageHeight][f.imageWidth];
            for (int y = 0; y < f.imageHeight; y++) {
                for (int x = 0; x < f.imageWidth; x++) {
                    out[y][x] = buf.get(y * f.imageStride + x) & 0xff;
                }
            }
            return out;
        }
    }

    /** Mean luma of the middle of the left and of the right half. */
    private static int[] halves(int[][] luma) {
        int h = luma.length;
        int w = luma[0].length;
        return new int[] {mean(luma, w / 8, 3 * w / 8, h / 4, 3 * h / 4), mean(luma, 5 * w / 8, 7 * w / 8, h / 4,
                3 * h / 4)};
    }

    private static int mean(int[][] luma, int x0, int x1, int y0, int y1) {
        long sum = 0;
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                sum += luma[y][x];
                n++;
            }
        }
        return (int) Math.round((double) sum / n);
    }

    /** Differences between consecutive picture timestamps, seconds. */
    private static List<Double> frameGaps(Path file) throws Exception {
        List<Double> gaps = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            long last = Long.MIN_VALUE;
            Frame f;
            while ((f = g.grabImage()) != null) {
                if (last != Long.MIN_VALUE) {
                    gaps.add((f.timestamp - last) / 1e6);
                }
                last = f.timestamp;
            }
        }
        return gaps;
    }

    /**
     * When each flash (video: first picture brighter than mid-grey) or beep (audio: first loud sample) of
     * {@link ColourTestMedia#SYNC_MARKS} starts, in seconds from the file's start.
     */
    private static double[] onsets(Path file, boolean video) throws Exception {
        double[] marks = ColourTestMedia.SYNC_MARKS;
        double[] out = new double[marks.length];
        java.util.Arrays.fill(out, Double.NaN);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
            g.start();
            long start = Math.max(0, g.getFormatContext().start_time());
            int found = 0;
            boolean inMark = false;
            Frame f;
            while (found < marks.length && (f = video ? g.grabImage() : g.grabSamples()) != null) {
                double t = (f.timestamp - start) / 1e6;
                if (video) {
                    java.nio.ByteBuffer b = (java.nio.ByteBuffer) f.image[0];
                    boolean bright = (b.get(f.imageHeight / 2 * f.imageStride + f.imageWidth / 2) & 0xff) > 128;
                    if (bright && !inMark) {
                        out[found++] = t;
                    }
                    inMark = bright;
                } else {
                    Buffer s = f.samples[0];
                    int n = s.limit();
                    int channels = f.samples.length > 1 ? 1 : Math.max(1, f.audioChannels);
                    for (int i = 0; i < n && found < marks.length; i += channels) {
                        double v = s instanceof ShortBuffer sb ? sb.get(i) / 32768.0 : ((FloatBuffer) s).get(i);
                        double at = t + (double) (i / channels) / f.sampleRate;
                        if (Math.abs(v) > 0.1 && !inMark) {
                            out[found++] = at;
                            inMark = true;
                        } else if (inMark && at > marks[found - 1] + 0.3) {
                            inMark = false;
                        }
                    }
                }
            }
        }
        return out;
    }
}
