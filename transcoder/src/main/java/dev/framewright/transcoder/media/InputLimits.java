package dev.framewright.transcoder.media;

import dev.framewright.events.FailureCode;
import dev.framewright.events.MediaInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * What an input may be before we spend CPU and memory on it. Every check runs on headers and the probe, before a
 * pixel is decoded: an image bomb (a small file declaring a huge canvas) is refused from its header.
 *
 * @param maxVideoPixels   width × height of a video stream
 * @param maxImagePixels   width × height of a still image
 * @param maxFrameRate     frames per second
 * @param maxDuration      seconds of media
 * @param maxStreams       streams in the container
 * @param maxInputBytes    size of the input file
 */
public record InputLimits(long maxVideoPixels, long maxImagePixels, double maxFrameRate, double maxDuration,
        int maxStreams, long maxInputBytes) {

    /** 8K video, 8192² images, 240 fps, 6 h, 32 streams, 20 GiB. */
    public static final InputLimits DEFAULTS = new InputLimits(8192L * 4320, 8192L * 8192, 240, 6 * 3600, 32,
            20L << 30);

    private static volatile InputLimits active = DEFAULTS;

    /** The limits {@link FFmpegSupport#open} enforces; the worker installs its configured ones at startup. */
    public static InputLimits active() {
        return active;
    }

    public static void install(InputLimits limits) {
        active = limits;
    }

    /** Checks what a probe measured (and the file size) against the limits. */
    public void check(MediaInfo info, long inputBytes) throws MediaException {
        if (inputBytes > maxInputBytes) {
            throw exceeded("the input is " + inputBytes + " bytes, more than the limit of " + maxInputBytes);
        }
        boolean still = info.width() != null && info.durationSeconds() == null && info.frameRate() == null;
        if (info.width() != null && info.height() != null) {
            checkPixels(info.width(), info.height(), still);
        }
        if (info.frameRate() != null && info.frameRate() > maxFrameRate) {
            throw exceeded(String.format(Locale.ROOT, "the frame rate %.1f fps is above the limit of %.0f fps",
                    info.frameRate(), maxFrameRate));
        }
        if (info.durationSeconds() != null && info.durationSeconds() > maxDuration) {
            throw exceeded(String.format(Locale.ROOT, "the duration %.0f s is above the limit of %.0f s",
                    info.durationSeconds(), maxDuration));
        }
        if (info.streams() != null && info.streams().size() > maxStreams) {
            throw exceeded("the input has " + info.streams().size() + " streams, more than the limit of "
                    + maxStreams);
        }
    }

    void checkPixels(long width, long height, boolean still) throws MediaException {
        long limit = still ? maxImagePixels : maxVideoPixels;
        if (width <= 0 || height <= 0) {
            return;
        }
        if (width * height > limit) {
            throw exceeded((still ? "the image" : "the video") + " is " + width + "x" + height + ", more than "
                    + limit + " pixels");
        }
    }

    /** Before FFmpeg sees the file: its size, and the canvas an image header declares. */
    void checkFile(Path file) throws MediaException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new MediaException(FailureCode.INPUT_MISSING, "input file not readable: " + file.getFileName(), e);
        }
        if (size > maxInputBytes) {
            throw exceeded("the input is " + size + " bytes, more than the limit of " + maxInputBytes);
        }
        long[] header = imageHeaderSize(file);
        if (header != null) {
            checkPixels(header[0], header[1], true);
        }
    }

    /**
     * A secondary input that is decoded as a still image (an overlay): its size and the canvas its header declares,
     * read without decoding a pixel. An image whose header cannot be read is refused here too, so no decoder is
     * ever handed a file whose dimensions were not checked.
     */
    public void checkImage(Path file) throws MediaException {
        checkFile(file);
        if (imageHeaderSize(file) == null) {
            throw new MediaException(FailureCode.INVALID_OUTPUT,
                    "the overlay image is not a PNG, JPEG, GIF or BMP picture whose size can be read");
        }
    }

    /** After the demuxer opened the file (headers only, nothing decoded yet beyond stream probing). */
    void checkOpened(FFmpegFrameGrabber grabber) throws MediaException {
        var oc = grabber.getFormatContext();
        if (oc != null && oc.nb_streams() > maxStreams) {
            throw exceeded("the input has " + oc.nb_streams() + " streams, more than the limit of " + maxStreams);
        }
        if (grabber.hasVideo()) {
            checkPixels(grabber.getImageWidth(), grabber.getImageHeight(), FFmpegSupport.isStillImage(grabber));
        }
    }

    /**
     * Width and height an image file declares in its header, read without decoding pixels: ImageIO's readers for
     * PNG, JPEG, GIF, BMP and TIFF, plus WebP's RIFF header; null for anything else.
     */
    static long[] imageHeaderSize(Path file) {
        long[] webp = webpSize(file);
        if (webp != null) {
            return webp;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new long[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null; // not an image ImageIO understands; FFmpeg decides what it is
        }
    }

    private static long[] webpSize(Path file) {
        byte[] h = new byte[30];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(h, 0, h.length) < h.length) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        if (!ascii(h, 0, "RIFF") || !ascii(h, 8, "WEBP")) {
            return null;
        }
        if (ascii(h, 12, "VP8X")) { // extended: 24-bit canvas width-1 and height-1
            return new long[] {u24(h, 24) + 1L, u24(h, 27) + 1L};
        }
        if (ascii(h, 12, "VP8L")) { // lossless: 14-bit width-1, height-1 after the 0x2f signature
            long bits = (h[21] & 0xffL) | (h[22] & 0xffL) << 8 | (h[23] & 0xffL) << 16 | (h[24] & 0xffL) << 24;
            return new long[] {(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1};
        }
        if (ascii(h, 12, "VP8 ")) { // lossy: 14-bit width and height after the key frame start code
            return new long[] {(h[26] & 0xff | (h[27] & 0xff) << 8) & 0x3fff, (h[28] & 0xff | (h[29] & 0xff) << 8) & 0x3fff};
        }
        return null;
    }

    private static boolean ascii(byte[] b, int offset, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[offset + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u24(byte[] b, int offset) {
        return b[offset] & 0xff | (b[offset + 1] & 0xff) << 8 | (b[offset + 2] & 0xff) << 16;
    }

    private static MediaException exceeded(String what) {
        return new MediaException(FailureCode.LIMITS_EXCEEDED, "The input is beyond this deployment's limits: " + what);
    }
}
