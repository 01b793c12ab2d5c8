package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.FacesTest.SECONDS;
import static dev.framewright.transcoder.media.FacesTest.VIDEO_Y;
import static dev.framewright.transcoder.media.FacesTest.frameAt;
import static dev.framewright.transcoder.media.FacesTest.meanDiff;
import static dev.framewright.transcoder.media.FacesTest.videoX;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.framewright.events.Overlay;
import dev.framewright.events.VideoOutput;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code "anchor": "faces"}: a user's picture over every face of a video, following it. The video is
 * {@link FacesTest#video()} (the astronaut photograph sliding right across a 720p frame, face at about x
 * {@code videoX(t) + 177-270}, y {@code 167-260}); the picture a solid green PNG of another aspect than the face box.
 */
class FaceAnchoredOverlayTest {

    private static final String KEY = "uploads/default/me";

    @BeforeAll
    static void needsThePhotograph() {
        assumeTrue(Files.isRegularFile(FacesTest.ASTRONAUT), "the test photograph is missing");
    }

    @Test
    void shouldCoverTheMovingFaceWithTheImageInEveryFrameAndLeaveTheRestAsTheSource() throws Exception {
        Path source = FacesTest.video();
        Overlay onFaces = new Overlay(KEY, null, null, null, null, null, null, null, null, Overlay.Anchor.FACES,
                null, null);
        MediaPipeline.Outcome outcome = render(source, List.of(new VideoOutput("faces", null, null, null, null, 18,
                null, false, null, null, onFaces)), Map.of(KEY, solidPng(0x00FF00, 60, 90)));
        Path mp4 = file(output(outcome, "faces"), "video.mp4");

        // between the scan's samples (every 0.5 s) too
        for (double t : new double[] {0.0, 0.2, 1.3, 2.7}) {
            byte[] src = frameAt(source, t);
            byte[] out = frameAt(mp4, t);
            int fx = videoX(t);
            double green = greenShare(out, fx + 195, VIDEO_Y + 85, fx + 250, VIDEO_Y + 145);
            assertThat(green).as("share of the face that is the overlay at %s s", t).isGreaterThan(0.95);
            // far from the face (below the face box grown by 20 %, and right of the photo): the source's pixels
            double farAway = meanDiff(src, out, 0, VIDEO_Y + 300, 1280, 720)
                    + meanDiff(src, out, fx + 600, 0, 1280, VIDEO_Y + 300);
            assertThat(farAway).as("pixels away from the face at %s s", t).isLessThan(1.5);
            assertThat(greenShare(out, 0, VIDEO_Y + 300, 1280, 720)).as("overlay away from the face").isZero();
        }
    }

    @Test
    void shouldPutNothingOnAVideoWithoutFaces() throws Exception {
        Path control = patternVideo();
        Overlay onFaces = new Overlay(KEY, null, null, null, null, null, null, null, null, Overlay.Anchor.FACES,
                0.5, 4);
        MediaPipeline.Outcome outcome = render(control, List.of(new VideoOutput("faces", null, null, null, null, 18,
                null, false, null, null, onFaces)), Map.of(KEY, solidPng(0x00FF00, 60, 90)));
        Path mp4 = file(output(outcome, "faces"), "video.mp4");

        for (double t : new double[] {0.0, 0.5, 0.9}) {
            byte[] src = frameOf(control, t, 640);
            byte[] out = frameOf(mp4, t, 640);
            int overlaid = 0;
            for (int i = 0; i < out.length; i += 3) {
                if (green(out, i) && !green(src, i)) {
                    overlaid++;
                }
            }
            assertThat(overlaid).as("pixels green in the output and not in the source at %s s", t).isZero();
        }
    }

    /** A {@code w x h} PNG of one colour, fully opaque. */
    static Path solidPng(int rgb, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 0xFF000000 | rgb);
            }
        }
        Path out = TestMedia.output("solid-" + Integer.toHexString(rgb) + "-" + w + "x" + h + ".png");
        ImageIO.write(img, "png", out.toFile());
        return out;
    }

    /** 1 s of FacesTest's face-free test pattern (colour bars, gradient, checkerboard) at 640x480, 25 fps. */
    private static Path patternVideo() throws Exception {
        BufferedImage pattern = ImageIO.read(FacesTest.testPattern().toFile());
        BufferedImage bgr = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(pattern, 0, 0, null);
        byte[] data = ((java.awt.image.DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        Path out = TestMedia.output("pattern640.mp4");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), 640, 480, 0)) {
            r.setFormat("mp4");
            r.setVideoCodecName("libx264");
            r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(25);
            r.setVideoOption("preset", "ultrafast");
            r.start();
            ByteBuffer buf = ByteBuffer.allocateDirect(data.length);
            for (int f = 0; f < 25; f++) {
                buf.clear();
                buf.put(data).flip();
                r.recordImage(640, 480, Frame.DEPTH_UBYTE, 3, 640 * 3, avutil.AV_PIX_FMT_BGR24, buf);
            }
            r.stop();
        }
        return out;
    }

    /** The packed BGR pixels of the first frame at or after {@code seconds} of a {@code width}-wide video. */
    private static byte[] frameOf(Path file, double seconds, int width) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            assertThat(g.getImageWidth()).isEqualTo(width);
            return FacesTest.frameAt(file, seconds);
        }
    }

    /** The share of the rectangle [x0, x1) x [y0, y1) of a 1280-wide BGR picture that is pure green. */
    private static double greenShare(byte[] bgr, int x0, int y0, int x1, int y1) {
        int width = 1280;
        x0 = Math.max(0, x0);
        x1 = Math.min(width, x1);
        if (x1 <= x0) {
            return 0;
        }
        int green = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (green(bgr, (y * width + x) * 3)) {
                    green++;
                }
            }
        }
        return (double) green / ((long) (x1 - x0) * (y1 - y0));
    }

    private static boolean green(byte[] bgr, int i) {
        return (bgr[i + 1] & 0xff) > 200 && (bgr[i] & 0xff) < 60 && (bgr[i + 2] & 0xff) < 60;
    }
}
