package dev.framewright.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Makes test inputs in code (no binaries in the repo) and decodes what the system produced. */
final class Media {

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private Media() {
    }

    /**
     * An H.264 + AAC MP4 of a moving colour pattern with a 440 Hz tone, drawn frame by frame and encoded with
     * JavaCV: no binary in the repository, no ffmpeg CLI needed (the one in the bytedeco jar wants libpulse).
     */
    static Path clip(Path dir, int width, int height, int seconds) throws IOException {
        Path out = dir.resolve("clip-" + width + "x" + height + "-" + seconds + "s.mp4");
        if (Files.exists(out)) {
            return out;
        }
        int fps = 25;
        int sampleRate = 48000;
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), width, height, 1)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodecName("libx264");
            recorder.setVideoOption("preset", "ultrafast");
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            recorder.setSampleRate(sampleRate);
            recorder.start();
            Frame image = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            ByteBuffer pixels = (ByteBuffer) image.image[0];
            int stride = image.imageStride;
            short[] tone = new short[sampleRate / fps];
            for (int f = 0; f < seconds * fps; f++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int i = y * stride + x * 3;
                        boolean bar = ((x + f * 8) / 64) % 2 == 0;
                        pixels.put(i, (byte) (bar ? 255 : x * 255 / width));
                        pixels.put(i + 1, (byte) (y * 255 / height));
                        pixels.put(i + 2, (byte) (f * 255 / (seconds * fps)));
                    }
                }
                recorder.record(image, avutil.AV_PIX_FMT_BGR24);
                for (int s = 0; s < tone.length; s++) {
                    long n = (long) f * tone.length + s;
                    tone[s] = (short) (8000 * Math.sin(2 * Math.PI * 440 * n / sampleRate));
                }
                recorder.recordSamples(sampleRate, 1, ShortBuffer.wrap(tone));
            }
        }
        return out;
    }

    /** What a decoder sees in a file. */
    record Decoded(String format, String videoCodec, int width, int height, double durationSeconds, int videoFrames,
            String audioCodec, int audioChannels) {
    }

    /** The decoded picture nearest to {@code seconds} into the file. */
    static java.awt.image.BufferedImage frameAt(Path file, double seconds) throws IOException {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
             org.bytedeco.javacv.Java2DFrameConverter converter = new org.bytedeco.javacv.Java2DFrameConverter()) {
            grabber.start();
            long target = (long) (seconds * 1_000_000);
            Frame frame;
            java.awt.image.BufferedImage last = null;
            while ((frame = grabber.grabImage()) != null) {
                last = deepCopy(converter.convert(frame));
                if (frame.timestamp >= target) {
                    break;
                }
            }
            if (last == null) {
                throw new IOException("No picture in " + file);
            }
            return last;
        }
    }

    private static java.awt.image.BufferedImage deepCopy(java.awt.image.BufferedImage image) {
        java.awt.image.BufferedImage copy = new java.awt.image.BufferedImage(image.getWidth(), image.getHeight(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        copy.getGraphics().drawImage(image, 0, 0, null);
        return copy;
    }

    /** A PNG: an opaque square of {@code rgb} on a fully transparent border of {@code border} pixels. */
    static Path squareWithTransparentBorder(Path dir, int size, int border, int rgb) throws IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(size, size,
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean inside = x >= border && y >= border && x < size - border && y < size - border;
                image.setRGB(x, y, inside ? 0xFF000000 | rgb : 0x00000000);
            }
        }
        Path out = dir.resolve("overlay-" + size + "-" + Integer.toHexString(rgb) + ".png");
        javax.imageio.ImageIO.write(image, "png", out.toFile());
        return out;
    }

    static Decoded decode(Path file) throws IOException {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            int frames = 0;
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                if (frame.image != null) {
                    frames++;
                }
            }
            return new Decoded(grabber.getFormat(), grabber.getVideoCodecName(), grabber.getImageWidth(),
                    grabber.getImageHeight(), grabber.getLengthInTime() / 1_000_000.0, frames,
                    grabber.getAudioChannels() > 0 ? grabber.getAudioCodecName() : null, grabber.getAudioChannels());
        }
    }
}
