package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.framewright.events.FaceRedaction;
import dev.framewright.events.FacesOutput;
import dev.framewright.events.ImageFormat;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.VideoOutput;
import dev.framewright.transcoder.media.faces.FaceBox;
import dev.framewright.transcoder.media.faces.FaceDetector;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faces on a real photograph: scikit-image's {@code astronaut.png} (Debian's {@code python3-skimage}, which
 * {@code .ci/run} installs; skipped where it is missing), as an image and as a 720p video made from it in the test,
 * with a face-free test pattern as the control. The face in the 512x512 photo is at about x 177-270, y 67-160.
 */
class FacesTest {

    static final Path ASTRONAUT = Path.of("/usr/lib/python3/dist-packages/skimage/data/astronaut.png");
    /** Where the photo sits in the video at time t: it slides right by this many pixels a second. */
    static final int VIDEO_X = 300;
    static final int VIDEO_Y = 100;
    static final int SPEED = 60;
    static final int SECONDS = 3;

    private static Path video;

    @BeforeAll
    static void needsThePhotograph() {
        assumeTrue(Files.isRegularFile(ASTRONAUT), "the test photograph " + ASTRONAUT
                + " is missing: apt-get install python3-skimage (.ci/run does)");
    }

    @Test
    void shouldFindTheAstronautsFaceWhereItIsInThePhoto() throws Exception {
        JsonNode faces = faces(render(ASTRONAUT, List.of(new FacesOutput("faces", null))));

        assertThat(faces.get("width").asInt()).isEqualTo(512);
        assertThat(faces.get("samples")).hasSize(1);
        JsonNode found = faces.get("samples").get(0).get("faces");
        assertThat(found).as("faces in %s", faces).hasSize(1);
        JsonNode face = found.get(0);
        int cx = face.get("x").asInt() + face.get("width").asInt() / 2;
        int cy = face.get("y").asInt() + face.get("height").asInt() / 2;
        assertThat(cx).isBetween(205, 245);
        assertThat(cy).isBetween(95, 135);
        assertThat(face.get("width").asInt()).isBetween(60, 130);
        assertThat(face.get("track").asInt()).isEqualTo(1);
        assertThat(face.get("neighbors").asInt()).isGreaterThanOrEqualTo(FaceDetector.MIN_NEIGHBORS);
    }

    @Test
    void shouldFindNoFaceInATestPattern() throws Exception {
        JsonNode faces = faces(render(testPattern(), List.of(new FacesOutput("faces", null))));

        assertThat(faces.get("samples").get(0).get("faces")).isEmpty();
        assertThat(faces.get("tracks").asInt()).isZero();
    }

    @Test
    void shouldFollowOneFaceAcrossTheSamplesOfAVideoAsOneTrack() throws Exception {
        JsonNode faces = faces(render(video(), List.of(new FacesOutput("faces", 0.5))));

        assertThat(faces.get("width").asInt()).isEqualTo(1280);
        assertThat(faces.get("height").asInt()).isEqualTo(720);
        JsonNode samples = faces.get("samples");
        assertThat(samples).hasSize(SECONDS * 2);
        for (JsonNode s : samples) {
            double t = s.get("seconds").asDouble();
            assertThat(s.get("faces")).as("faces at %s s", t).hasSize(1);
            JsonNode face = s.get("faces").get(0);
            int cx = face.get("x").asInt() + face.get("width").asInt() / 2;
            int cy = face.get("y").asInt() + face.get("height").asInt() / 2;
            assertThat(cx).as("centre x at %s s", t).isBetween(videoX(t) + 205, videoX(t) + 245);
            assertThat(cy).as("centre y at %s s", t).isBetween(VIDEO_Y + 95, VIDEO_Y + 135);
            assertThat(face.get("track").asInt()).isEqualTo(1);
        }
        assertThat(faces.get("tracks").asInt()).isEqualTo(1);
    }

    @Test
    void shouldChangeTheFacePixelsOfAStillAndNothingElse() throws Exception {
        MediaPipeline.Outcome outcome = render(ASTRONAUT, List.of(
                new ImageOutput("plain", null, null, null, null, ImageFormat.PNG),
                new ImageOutput("hidden", null, null, null, null, ImageFormat.PNG, FaceRedaction.PIXELATE)));
        BufferedImage plain = ImageIO.read(file(output(outcome, "plain"), "image.png").toFile());
        BufferedImage hidden = ImageIO.read(file(output(outcome, "hidden"), "image.png").toFile());

        // the face with the redactor's padding: x 177-270, y 67-160 grown by 20 % of 93 px
        int changedInFace = 0;
        int changedOutside = 0;
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                boolean differs = plain.getRGB(x, y) != hidden.getRGB(x, y);
                boolean nearFace = x >= 150 && x < 300 && y >= 40 && y < 190;
                boolean inFace = x >= 190 && x < 255 && y >= 80 && y < 150;
                if (inFace && differs) {
                    changedInFace++;
                }
                if (!nearFace && differs) {
                    changedOutside++;
                }
            }
        }
        assertThat(changedInFace).as("face pixels changed").isGreaterThan(65 * 70 * 8 / 10);
        assertThat(changedOutside).as("pixels changed away from the face").isZero();
    }

    @Test
    void shouldBlurTheMovingFaceInEveryFrameOfAVideoAndLeaveTheRestAlone() throws Exception {
        MediaPipeline.Outcome outcome = render(video(), List.of(
                new VideoOutput("plain", null, null, null, null, 18, null, false, null, null, null),
                new VideoOutput("hidden", null, null, null, null, 18, null, false, null, null, null,
                        FaceRedaction.BLUR)));
        Path plain = file(output(outcome, "plain"), "video.mp4");
        Path hidden = file(output(outcome, "hidden"), "video.mp4");

        // between samples too (every 0.5 s): frames at 0.2, 1.3, 2.7 s
        for (double t : new double[] {0.2, 1.3, 2.7}) {
            byte[] a = frameAt(plain, t);
            byte[] b = frameAt(hidden, t);
            int fx = videoX(t);
            double inFace = meanDiff(a, b, fx + 195, VIDEO_Y + 85, fx + 250, VIDEO_Y + 145);
            double farAway = meanDiff(a, b, 0, 400, 1280, 720) + meanDiff(a, b, fx + 400, 0, 1280, 400);
            assertThat(inFace).as("face pixels changed at %s s", t).isGreaterThan(8);
            assertThat(farAway).as("pixels away from the face at %s s", t).isLessThan(1.0);
        }
    }

    @Test
    void shouldReportTheDetectionCostOfA720pFrame() throws Exception {
        byte[] frame = frameAt(video(), 1.0);
        BufferedImage full = new BufferedImage(1280, 720, BufferedImage.TYPE_3BYTE_BGR);
        System.arraycopy(frame, 0, ((DataBufferByte) full.getRaster().getDataBuffer()).getData(), 0, frame.length);
        int[] det = FaceDetector.detectionSize(1280, 720);
        BufferedImage small = new BufferedImage(det[0], det[1], BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = small.createGraphics();
        g.drawImage(full, 0, 0, det[0], det[1], null);
        g.dispose();
        byte[] bgr = ((DataBufferByte) small.getRaster().getDataBuffer()).getData();
        FaceDetector detector = FaceDetector.shared();
        detector.detectBgr(bgr, det[0], det[1]); // warm
        int runs = 10;
        long t0 = System.nanoTime();
        List<FaceBox> found = List.of();
        for (int i = 0; i < runs; i++) {
            found = detector.detectBgr(bgr, det[0], det[1]);
        }
        double ms = (System.nanoTime() - t0) / 1e6 / runs;
        long t1 = System.nanoTime();
        List<FaceBox> native720 = detector.detectBgr(frame, 1280, 720);
        double nativeMs = (System.nanoTime() - t1) / 1e6;
        System.out.printf("face detection, 720p frame: %.1f ms at %dx%d (%d found); %.1f ms at 1280x720 (%d)%n", ms,
                det[0], det[1], found.size(), nativeMs, native720.size());
        assertThat(found).hasSize(1);
    }

    // ---------------------------------------------------------------- media

    static int videoX(double t) {
        return VIDEO_X + (int) Math.round(SPEED * t);
    }

    private static JsonNode faces(MediaPipeline.Outcome outcome) throws Exception {
        return JobEventJson.mapper().readTree(file(output(outcome, "faces"), "faces.json").toFile());
    }

    /** Colour bars, a gradient and a checkerboard: edges and texture, but no face. */
    static Path testPattern() throws Exception {
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        Color[] bars = {Color.WHITE, Color.YELLOW, Color.CYAN, Color.GREEN, Color.MAGENTA, Color.RED, Color.BLUE};
        for (int i = 0; i < bars.length; i++) {
            g.setColor(bars[i]);
            g.fillRect(i * 640 / bars.length, 0, 640 / bars.length + 1, 240);
        }
        for (int x = 0; x < 640; x++) {
            g.setColor(new Color(x * 255 / 639, x * 255 / 639, x * 255 / 639));
            g.drawLine(x, 240, x, 330);
        }
        for (int y = 330; y < 480; y += 20) {
            for (int x = 0; x < 640; x += 20) {
                g.setColor(((x + y) / 20) % 2 == 0 ? Color.BLACK : Color.WHITE);
                g.fillRect(x, y, 20, 20);
            }
        }
        g.dispose();
        Path out = TestMedia.output("pattern.png");
        ImageIO.write(img, "png", out.toFile());
        return out;
    }

    /** 3 s of 1280x720 at 25 fps: the photograph on grey, sliding right {@link #SPEED} px a second. */
    static synchronized Path video() throws Exception {
        if (video != null) {
            return video;
        }
        BufferedImage photo = ImageIO.read(ASTRONAUT.toFile());
        Path out = TestMedia.output("astronaut720.mp4");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), 1280, 720, 0)) {
            r.setFormat("mp4");
            r.setVideoCodecName("libx264");
            r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(25);
            r.setVideoOption("preset", "ultrafast");
            r.setVideoOption("crf", "16");
            r.start();
            BufferedImage canvas = new BufferedImage(1280, 720, BufferedImage.TYPE_3BYTE_BGR);
            byte[] data = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
            ByteBuffer buf = ByteBuffer.allocateDirect(data.length);
            for (int f = 0; f < 25 * SECONDS; f++) {
                Graphics2D g = canvas.createGraphics();
                g.setColor(new Color(128, 128, 128));
                g.fillRect(0, 0, 1280, 720);
                g.drawImage(photo, videoX(f / 25.0), VIDEO_Y, null);
                g.dispose();
                buf.clear();
                buf.put(data).flip();
                r.recordImage(1280, 720, Frame.DEPTH_UBYTE, 3, 1280 * 3, avutil.AV_PIX_FMT_BGR24, buf);
            }
            r.stop();
        }
        video = out;
        return out;
    }

    /** The packed BGR pixels of the first frame at or after {@code seconds}. */
    static byte[] frameAt(Path file, double seconds) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                if (f.timestamp / 1e6 >= seconds - 0.001) {
                    ByteBuffer buf = (ByteBuffer) f.image[0];
                    byte[] out = new byte[f.imageWidth * f.imageHeight * 3];
                    for (int y = 0; y < f.imageHeight; y++) {
                        buf.position(y * f.imageStride);
                        buf.get(out, y * f.imageWidth * 3, f.imageWidth * 3);
                    }
                    return out;
                }
            }
        }
        throw new AssertionError("no frame at " + seconds + " s in " + file);
    }

    /** Mean absolute difference over the rectangle [x0, x1) x [y0, y1) of two 1280-wide BGR pictures. */
    static double meanDiff(byte[] a, byte[] b, int x0, int y0, int x1, int y1) {
        x0 = Math.max(0, x0);
        x1 = Math.min(1280, x1);
        if (x1 <= x0) {
            return 0;
        }
        long sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0 * 3; x < x1 * 3; x++) {
                int i = y * 1280 * 3 + x;
                sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
            }
        }
        return (double) sum / ((long) (x1 - x0) * (y1 - y0) * 3);
    }
}
