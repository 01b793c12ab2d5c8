package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Generates test inputs in Java (no binaries in the repository): videos and audio with JavaCV's
 * {@link FFmpegFrameRecorder} (libx264 / AAC), images with ImageIO. The ffmpeg CLI bundled in the bytedeco natives
 * is not used because it links libavdevice, which needs libpulse.so.0 (absent on lean build machines). Files are made
 * once per JVM in a temporary directory that is deleted on exit.
 */
final class TestMedia {

    static {
        FFmpegSupport.init(); // FFmpeg log level ERROR, also for the generators below
    }

    private static final Map<String, Path> CACHE = new HashMap<>();
    private static Path dir;

    private TestMedia() {
    }

    /** 2 s, 1280x720, 25 fps H.264 (moving pattern) + 48 kHz mono AAC 440 Hz sine. */
    static synchronized Path clip720WithAudio() {
        return CACHE.computeIfAbsent("clip720.mp4", n -> video(n, 1280, 720, 50, 48_000, null));
    }

    /** 3 s, 320x240, 25 fps H.264 (moving pattern) + 48 kHz mono AAC 440 Hz sine: the media pipeline's input. */
    static synchronized Path clip320WithAudio() {
        return CACHE.computeIfAbsent("clip320.mp4", n -> video(n, 320, 240, 75, 48_000, null));
    }

    /** 2 s, 640x360, 25 fps H.264, a flat grey {@code #808080} (overlay checks), no audio. */
    static synchronized Path grey640x360() {
        return CACHE.computeIfAbsent("grey640.mp4", n -> video(n, 640, 360, 50, 0, new int[] {0x80, 0x80, 0x80}));
    }

    /**
     * A 40x40 PNG with alpha: a fully transparent 10 px border around an opaque 20x20 square of {@code rgb}.
     */
    static synchronized Path squarePng(int rgb) {
        return CACHE.computeIfAbsent("square-" + Integer.toHexString(rgb) + ".png", n -> {
            Path out = dir().resolve(n);
            BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_INT_ARGB);
            for (int y = 10; y < 30; y++) {
                for (int x = 10; x < 30; x++) {
                    img.setRGB(x, y, 0xFF000000 | rgb);
                }
            }
            try {
                ImageIO.write(img, "png", out.toFile());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out;
        });
    }

    /** A fresh empty directory in the shared temporary directory. */
    static Path newDir() {
        try {
            return Files.createTempDirectory(dir(), "work");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 1 s, 720x540 (4:3; width not a multiple of 64), 25 fps, a single flat colour {@code #2040C0}, no audio. */
    static synchronized Path colour43() {
        return CACHE.computeIfAbsent("colour43.mp4", n -> video(n, 720, 540, 25, 0, new int[] {0x20, 0x40, 0xC0}));
    }

    /** 1 s, 640x480 (4:3), 25 fps, no audio. */
    static synchronized Path clip640x480() {
        return CACHE.computeIfAbsent("clip640x480.mp4", n -> video(n, 640, 480, 25, 0, null));
    }

    /** A 1200x800 PNG. */
    static synchronized Path png1200x800() {
        return CACHE.computeIfAbsent("image1200x800.png", n -> image(n, "png", 1200, 800));
    }

    /** A 1200x800 JPEG. */
    static synchronized Path jpeg1200x800() {
        return CACHE.computeIfAbsent("image1200x800.jpg", n -> image(n, "jpeg", 1200, 800));
    }

    /** A 400x300 PNG. */
    static synchronized Path png400x300() {
        return CACHE.computeIfAbsent("image400x300.png", n -> image(n, "png", 400, 300));
    }

    /** 1 s of 44.1 kHz mono AAC audio only, in an .m4a. */
    static synchronized Path audioOnly() {
        return CACHE.computeIfAbsent("audio.m4a", n -> {
            Path out = dir().resolve(n);
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), 1)) {
                recorder.setFormat("mp4");
                recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                recorder.setAudioBitrate(64_000);
                recorder.setSampleRate(44_100);
                recorder.start();
                recordSine(recorder, 44_100, 44_100);
                recorder.stop();
            } catch (Exception e) {
                throw new IllegalStateException("cannot generate " + n, e);
            }
            return out;
        });
    }

    /** A text file named like a video. */
    static synchronized Path textAsMp4() {
        return CACHE.computeIfAbsent("text.mp4", name -> {
            try {
                return Files.writeString(dir().resolve(name), "hello, not a video\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A fresh path for an output file in the shared temporary directory. */
    static Path output(String name) {
        try {
            return Files.createTempDirectory(dir(), "out").resolve(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts the video frames FFmpeg decodes from a file. */
    static int countVideoFrames(Path file) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            int n = 0;
            while (grabber.grabImage() != null) {
                n++;
            }
            return n;
        }
    }

    /**
     * Blue, green, red of pixels of the first decoded frame, at (x, y) fractions of the size: {x0, y0, x1, y1, ...}.
     */
    static int[][] bgrAt(Path file, double... xy) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            Frame frame = grabber.grabImage();
            ByteBuffer buf = (ByteBuffer) frame.image[0];
            int[][] result = new int[xy.length / 2][];
            for (int i = 0; i < result.length; i++) {
                int x = (int) Math.min(frame.imageWidth - 1, xy[2 * i] * frame.imageWidth);
                int y = (int) Math.min(frame.imageHeight - 1, xy[2 * i + 1] * frame.imageHeight);
                int offset = y * frame.imageStride + x * 3;
                result[i] = new int[] {buf.get(offset) & 0xff, buf.get(offset + 1) & 0xff, buf.get(offset + 2) & 0xff};
            }
            return result;
        }
    }

    /** Asserts that the first frame is the flat colour of {@link #colour43()} near the corners and the centre. */
    static void assertFlatColour(Path file) throws Exception {
        int[][] pixels = bgrAt(file, 0.02, 0.02, 0.5, 0.5, 0.98, 0.98, 0.98, 0.02, 0.02, 0.98);
        for (int[] bgr : pixels) {
            assertThat(bgr[0]).as("blue").isCloseTo(0xC0, within(12));
            assertThat(bgr[1]).as("green").isCloseTo(0x40, within(12));
            assertThat(bgr[2]).as("red").isCloseTo(0x20, within(12));
        }
    }

    /**
     * Writes {@code frames} frames at 25 fps: a flat {@code rgb} colour, or (null) a moving gradient with a bar, plus a
     * mono 440 Hz sine at {@code sampleRate} when that is positive.
     */
    private static Path video(String name, int width, int height, int frames, int sampleRate, int[] rgb) {
        Path out = dir().resolve(name);
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), width, height,
                sampleRate > 0 ? 1 : 0)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodecName("libx264");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(25);
            recorder.setVideoOption("preset", "ultrafast");
            recorder.setVideoOption("crf", "20");
            if (sampleRate > 0) {
                recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                recorder.setAudioBitrate(64_000);
                recorder.setSampleRate(sampleRate);
            }
            recorder.start();
            int stride = width * 3;
            ByteBuffer bgr = ByteBuffer.allocateDirect(stride * height);
            int samplesPerFrame = sampleRate / 25;
            for (int f = 0; f < frames; f++) {
                for (int y = 0; y < height; y++) {
                    int row = y * stride;
                    for (int x = 0; x < width; x++) {
                        int i = row + x * 3;
                        if (rgb != null) {
                            bgr.put(i, (byte) rgb[2]).put(i + 1, (byte) rgb[1]).put(i + 2, (byte) rgb[0]);
                        } else {
                            boolean bar = Math.abs(x - (f * width / frames)) < width / 20;
                            bgr.put(i, (byte) (bar ? 255 : x * 255 / width));
                            bgr.put(i + 1, (byte) (bar ? 255 : y * 255 / height));
                            bgr.put(i + 2, (byte) (bar ? 255 : (f * 5) & 0xff));
                        }
                    }
                }
                recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 3, stride, avutil.AV_PIX_FMT_BGR24, bgr);
                if (sampleRate > 0) {
                    recordSine(recorder, sampleRate, samplesPerFrame, (long) f * samplesPerFrame);
                }
            }
            recorder.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate " + name, e);
        }
        return out;
    }

    private static void recordSine(FFmpegFrameRecorder recorder, int sampleRate, int samples) throws Exception {
        for (int done = 0; done < samples; done += 1024) {
            recordSine(recorder, sampleRate, Math.min(1024, samples - done), done);
        }
    }

    private static void recordSine(FFmpegFrameRecorder recorder, int sampleRate, int count, long first)
            throws Exception {
        ShortBuffer pcm = ShortBuffer.allocate(count);
        for (int i = 0; i < count; i++) {
            pcm.put(i, (short) (8000 * Math.sin(2 * Math.PI * 440 * (first + i) / sampleRate)));
        }
        recorder.recordSamples(sampleRate, 1, pcm);
    }

    private static Path image(String name, String format, int width, int height) {
        Path out = dir().resolve(name);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
            g.fillRect(0, 0, width, height);
            g.setColor(Color.WHITE);
            g.fillOval(width / 4, height / 4, width / 2, height / 2);
        } finally {
            g.dispose();
        }
        try {
            if (!ImageIO.write(img, format, out.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("framewright-media-test");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Path d = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d)));
        }
        return dir;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
