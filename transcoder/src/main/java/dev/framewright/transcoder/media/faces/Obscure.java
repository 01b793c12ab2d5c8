package dev.framewright.transcoder.media.faces;

import dev.framewright.events.FaceRedaction;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;

/**
 * Blurs or pixelates rectangles of a picture in place: of one 8-bit plane (a yuv420p picture is three, the chroma
 * at half size), or of a Java image. Only pixels inside the rectangle change.
 */
public final class Obscure {

    /** Pixelate: about this many blocks across the box. */
    static final int BLOCKS = 8;
    /** Blur: box-blur radius as a fraction of the box's shorter side, three passes (close to a Gaussian). */
    static final double BLUR_RADIUS = 0.12;

    private Obscure() {
    }

    /** One plane of {@code stride}-long rows at {@code base} in {@code buf}; the rectangle in that plane's pixels. */
    public static void plane(FaceRedaction how, ByteBuffer buf, int base, int stride, int x, int y, int w, int h) {
        if (w <= 0 || h <= 0) {
            return;
        }
        int[] px = new int[w * h];
        for (int r = 0; r < h; r++) {
            int row = base + (y + r) * stride + x;
            for (int c = 0; c < w; c++) {
                px[r * w + c] = buf.get(row + c) & 0xff;
            }
        }
        apply(how, px, w, h);
        for (int r = 0; r < h; r++) {
            int row = base + (y + r) * stride + x;
            for (int c = 0; c < w; c++) {
                buf.put(row + c, (byte) px[r * w + c]);
            }
        }
    }

    /** A rectangle of an image (alpha kept), each colour channel on its own. */
    public static void image(FaceRedaction how, BufferedImage image, FaceBox box) {
        int w = box.width();
        int h = box.height();
        if (w <= 0 || h <= 0) {
            return;
        }
        int[] argb = image.getRGB(box.x(), box.y(), w, h, null, 0, w);
        int[][] ch = new int[3][w * h];
        for (int i = 0; i < argb.length; i++) {
            ch[0][i] = argb[i] >> 16 & 0xff;
            ch[1][i] = argb[i] >> 8 & 0xff;
            ch[2][i] = argb[i] & 0xff;
        }
        for (int[] c : ch) {
            apply(how, c, w, h);
        }
        for (int i = 0; i < argb.length; i++) {
            argb[i] = argb[i] & 0xff000000 | ch[0][i] << 16 | ch[1][i] << 8 | ch[2][i];
        }
        image.setRGB(box.x(), box.y(), w, h, argb, 0, w);
    }

    static void apply(FaceRedaction how, int[] px, int w, int h) {
        if (how == FaceRedaction.PIXELATE) {
            pixelate(px, w, h, Math.max(2, Math.max(w, h) / BLOCKS));
        } else {
            int radius = Math.max(2, (int) Math.round(Math.min(w, h) * BLUR_RADIUS));
            for (int pass = 0; pass < 3; pass++) {
                boxBlur(px, w, h, radius);
            }
        }
    }

    private static void pixelate(int[] px, int w, int h, int block) {
        for (int by = 0; by < h; by += block) {
            for (int bx = 0; bx < w; bx += block) {
                int ex = Math.min(w, bx + block);
                int ey = Math.min(h, by + block);
                long sum = 0;
                for (int r = by; r < ey; r++) {
                    for (int c = bx; c < ex; c++) {
                        sum += px[r * w + c];
                    }
                }
                int mean = (int) (sum / ((long) (ex - bx) * (ey - by)));
                for (int r = by; r < ey; r++) {
                    for (int c = bx; c < ex; c++) {
                        px[r * w + c] = mean;
                    }
                }
            }
        }
    }

    /** A separable running-mean blur; the edges clamp to the rectangle's own pixels. */
    private static void boxBlur(int[] px, int w, int h, int radius) {
        int[] tmp = new int[px.length];
        int span = 2 * radius + 1;
        for (int r = 0; r < h; r++) {
            int sum = 0;
            for (int k = -radius; k <= radius; k++) {
                sum += px[r * w + clamp(k, w)];
            }
            for (int c = 0; c < w; c++) {
                tmp[r * w + c] = sum / span;
                sum += px[r * w + clamp(c + radius + 1, w)] - px[r * w + clamp(c - radius, w)];
            }
        }
        for (int c = 0; c < w; c++) {
            int sum = 0;
            for (int k = -radius; k <= radius; k++) {
                sum += tmp[clamp(k, h) * w + c];
            }
            for (int r = 0; r < h; r++) {
                px[r * w + c] = sum / span;
                sum += tmp[clamp(r + radius + 1, h) * w + c] - tmp[clamp(r - radius, h) * w + c];
            }
        }
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
