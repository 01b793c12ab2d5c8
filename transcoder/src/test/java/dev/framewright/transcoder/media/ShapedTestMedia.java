package dev.framewright.transcoder.media;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Inputs shaped like real uploads, generated with JavaCV's recorder (see {@link TestMedia} for why not the CLI): a
 * phone clip stored landscape with a display matrix (or only a legacy {@code rotate} tag), anamorphic SD with a
 * non-square sample aspect ratio, and interlaced MPEG-2 in MPEG-TS with a fast moving edge.
 *
 * <p>The turned and anamorphic clips show, in the DISPLAYED frame, a white block in the top-left corner, a mid-grey
 * block in the top-right corner, and black elsewhere; {@link #assertUpright} checks a decoded picture for it, which
 * tells every quarter turn and mirror apart.
 */
final class ShapedTestMedia {

    static final int WHITE = 235;
    static final int GREY = 128;

    private static final Map<String, Path> CACHE = new HashMap<>();

    private ShapedTestMedia() {
    }

    /**
     * 1 s at 25 fps, shown {@code displayWidth x displayHeight}, stored turned by {@code rotation} degrees
     * counter-clockwise with a display matrix asking to turn it back clockwise (what a phone writes).
     */
    static synchronized Path phone(int displayWidth, int displayHeight, int rotation) {
        return CACHE.computeIfAbsent("phone-" + displayWidth + "x" + displayHeight + "-" + rotation + ".mp4",
                n -> turned(n, displayWidth, displayHeight, rotation, 25, "mp4", true));
    }

    /** The same picture in Matroska with only the legacy {@code rotate=90} stream tag, no display matrix. */
    static synchronized Path phoneRotateTag() {
        return CACHE.computeIfAbsent("phone-tag.mkv", n -> turned(n, 360, 640, 90, 25, "matroska", false));
    }

    /** 1 s at 25 fps, stored 720x576 with sample aspect {@code num:den}; shown (720 * num / den) x 576. */
    static synchronized Path anamorphic(int num, int den) {
        return CACHE.computeIfAbsent("sd-" + num + "-" + den + ".mp4", n -> {
            int displayWidth = 720 * num / den;
            BufferedImage shown = pattern(displayWidth, 576);
            Path out = TestMedia.newDir().resolve(n);
            try (FFmpegFrameRecorder r = h264(out, 720, 576, "mp4")) {
                r.setAspectRatio((double) num / den);
                r.start();
                BufferedImage stored = resize(shown, 720, 576);
                for (int f = 0; f < 25; f++) {
                    record(r, stored);
                }
                r.stop();
            } catch (Exception e) {
                throw new IllegalStateException("cannot generate " + n, e);
            }
            return out;
        });
    }

    /** Columns at which the edge of the bar is in field {@code field} (50 fields per second). */
    static int edgeAt(int field) {
        return 40 + (field * 12) % 640;
    }

    /**
     * 2 s of 720x576 interlaced MPEG-2 (+ilme+ildct, 25 frames of two fields each) in MPEG-TS: a white bar on black,
     * its right edge moving 12 px per field, each frame woven from two fields 1/50 s apart (the bottom field, odd
     * lines, first: the encoder's default field order).
     */
    static synchronized Path interlacedTs() {
        return CACHE.computeIfAbsent("interlaced.ts", n -> {
            Path out = TestMedia.newDir().resolve(n);
            int w = 720;
            int h = 576;
            try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), w, h, 0)) {
                r.setFormat("mpegts");
                r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG2VIDEO);
                r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                r.setFrameRate(25);
                r.setVideoBitrate(8_000_000);
                r.setVideoOption("flags", "+ilme+ildct");
                r.setGopSize(12);
                r.start();
                for (int f = 0; f < 50; f++) {
                    BufferedImage woven = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
                    for (int y = 0; y < h; y++) {
                        int field = 2 * f + (y % 2 == 1 ? 0 : 1); // odd lines: the earlier field
                        int edge = edgeAt(field);
                        for (int x = 0; x < w; x++) {
                            int v = x >= 20 && x < edge ? 255 : 16;
                            woven.setRGB(x, y, v << 16 | v << 8 | v);
                        }
                    }
                    record(r, woven);
                }
                r.stop();
            } catch (Exception e) {
                throw new IllegalStateException("cannot generate " + n, e);
            }
            return out;
        });
    }

    /**
     * Combing of a luma plane: the mean absolute difference between adjacent lines (one from each field) over the
     * mean between lines two apart (the same field), each plus 1. Near 1 for a progressive picture of this test's
     * vertical edges; several times that for woven fields of a moving edge.
     */
    static double combing(int[][] luma) {
        double adjacent = 0;
        double sameField = 0;
        long n = 0;
        for (int y = 0; y + 2 < luma.length; y++) {
            for (int x = 0; x < luma[y].length; x++) {
                adjacent += Math.abs(luma[y][x] - luma[y + 1][x]);
                sameField += Math.abs(luma[y][x] - luma[y + 2][x]);
                n++;
            }
        }
        return (adjacent / n + 1) / (sameField / n + 1);
    }

    /** The luma of the {@code index}-th decoded picture (0: the first) of any file FFmpeg reads. */
    static int[][] luma(Path file, int index) throws Exception {
        try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
            g.start();
            Frame f = null;
            for (int i = 0; i <= index; i++) {
                f = g.grabImage();
                if (f == null) {
                    throw new AssertionError("no picture " + index + " in " + file);
                }
            }
            ByteBuffer buf = (ByteBuffer) f.image[0];
            int[][] out = new int[f.imageHeight][f.imageWidth];
            for (int y = 0; y < f.imageHeight; y++) {
                for (int x = 0; x < f.imageWidth; x++) {
                    out[y][x] = buf.get(y * f.imageStride + x) & 0xff;
                }
            }
            return out;
        }
    }

    /** Asserts the DISPLAYED pattern: white top-left, grey top-right, black bottom corners. */
    static void assertUpright(int[][] luma, String what) {
        int h = luma.length;
        int w = luma[0].length;
        int[] tl = {mean(luma, 0.08, 0.08), mean(luma, 0.92, 0.08), mean(luma, 0.08, 0.92),
            mean(luma, 0.92, 0.92)};
        String corners = what + " corners tl/tr/bl/br of " + w + "x" + h + ": " + java.util.Arrays.toString(tl);
        org.assertj.core.api.Assertions.assertThat(tl[0]).as(corners).isGreaterThan(200);
        org.assertj.core.api.Assertions.assertThat(tl[1]).as(corners).isBetween(90, 170);
        org.assertj.core.api.Assertions.assertThat(tl[2]).as(corners).isLessThan(50);
        org.assertj.core.api.Assertions.assertThat(tl[3]).as(corners).isLessThan(50);
    }

    private static int mean(int[][] luma, double fx, double fy) {
        int h = luma.length;
        int w = luma[0].length;
        int cx = (int) (fx * w);
        int cy = (int) (fy * h);
        int r = Math.max(1, Math.min(w, h) / 40);
        long sum = 0;
        int n = 0;
        for (int y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
            for (int x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) {
                sum += luma[y][x];
                n++;
            }
        }
        return (int) (sum / n);
    }

    /** The shown picture: white top-left and grey top-right blocks (a quarter of the width, a sixth of the height). */
    static BufferedImage pattern(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = 16;
                if (y < h / 6 && x < w / 4) {
                    v = WHITE;
                } else if (y < h / 6 && x >= w - w / 4) {
                    v = GREY;
                }
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return img;
    }

    private static Path turned(String name, int displayWidth, int displayHeight, int rotation, int frames,
            String format, boolean matrix) {
        BufferedImage shown = pattern(displayWidth, displayHeight);
        BufferedImage stored = turn(shown, (360 - rotation) % 360); // stored = shown turned back
        Path out = TestMedia.newDir().resolve(name);
        try (FFmpegFrameRecorder r = h264(out, stored.getWidth(), stored.getHeight(), format)) {
            if (matrix) {
                // JavaCV takes the matrix's own angle (av_display_rotation_get, counter-clockwise): a phone portrait
                // clip's matrix reads -90, which ffprobe shows as "rotation of -90.00 degrees"
                r.setDisplayRotation(-rotation);
            } else {
                r.setVideoMetadata("rotate", Integer.toString(rotation));
            }
            r.start();
            for (int f = 0; f < frames; f++) {
                record(r, stored);
            }
            r.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate " + name, e);
        }
        return out;
    }

    private static FFmpegFrameRecorder h264(Path out, int w, int h, String format) {
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), w, h, 0);
        r.setFormat(format);
        r.setVideoCodecName("libx264");
        r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(25);
        r.setVideoOption("preset", "ultrafast");
        r.setVideoOption("crf", "18");
        return r;
    }

    /** Turns a picture clockwise by a quarter-turn multiple. */
    static BufferedImage turn(BufferedImage src, int clockwise) {
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = clockwise == 90 || clockwise == 270;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = src.getRGB(x, y);
                switch (clockwise) {
                    case 90 -> out.setRGB(h - 1 - y, x, rgb);
                    case 180 -> out.setRGB(w - 1 - x, h - 1 - y, rgb);
                    case 270 -> out.setRGB(y, w - 1 - x, rgb);
                    default -> out.setRGB(x, y, rgb);
                }
            }
        }
        return out;
    }

    private static BufferedImage resize(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, src.getRGB(x * src.getWidth() / w, y * src.getHeight() / h));
            }
        }
        return out;
    }

    private static void record(FFmpegFrameRecorder r, BufferedImage img) throws Exception {
        byte[] bgr = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        ByteBuffer buf = ByteBuffer.allocateDirect(bgr.length).put(bgr).flip();
        r.recordImage(img.getWidth(), img.getHeight(), Frame.DEPTH_UBYTE, 3, img.getWidth() * 3,
                avutil.AV_PIX_FMT_BGR24, buf);
    }
}
