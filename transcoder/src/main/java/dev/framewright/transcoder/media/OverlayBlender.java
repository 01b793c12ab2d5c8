package dev.framewright.transcoder.media;

import dev.framewright.events.FailureCode;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.BytePointer;

/**
 * Alpha-blends an image onto packed yuv420p pictures of one size. The image is decoded (ImageIO: PNG with its alpha,
 * JPEG, GIF, BMP), scaled once, converted once to BT.601 limited-range Y'CbCr with a per-pixel alpha (times the
 * opacity) and a per-chroma-sample alpha (the 2x2 average, chroma weighted by alpha), then blended into each frame
 * inside its time window: {@code out = (overlay * a + frame * (255 - a)) / 255}. Only the overlay's rectangle is
 * touched. This is what FFmpeg's {@code overlay} filter does for yuv420p, without a second filter input or a
 * {@code movie} source opening files outside {@link FFmpegSupport}.
 */
final class OverlayBlender {

    final int x;
    final int y;
    final int w;
    final int h;
    private final double start;
    private final double end;
    private final int frameWidth;
    private final int frameHeight;
    private final byte[] luma;
    private final byte[] alpha;
    private final byte[] cb;
    private final byte[] cr;
    private final byte[] chromaAlpha;
    private final int cw;
    private final int ch;
    private final byte[] row;

    OverlayBlender(OutputPlans.OverlayPlan plan, int frameWidth, int frameHeight) throws MediaException {
        this.frameWidth = frameWidth;
        this.frameHeight = frameHeight;
        this.start = plan.start();
        this.end = plan.end();
        // Limits first: ImageIO allocates the canvas its header declares.
        InputLimits.active().checkImage(plan.image());
        BufferedImage src;
        try {
            src = ImageIO.read(plan.image().toFile());
        } catch (IOException | RuntimeException e) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, "the overlay image cannot be read", e);
        }
        if (src == null || src.getWidth() <= 0 || src.getHeight() <= 0) {
            throw new MediaException(FailureCode.INVALID_OUTPUT,
                    "the overlay image is not a PNG, JPEG, GIF or BMP picture");
        }
        int targetW = plan.width() != null ? plan.width() : Math.min(src.getWidth(), frameWidth);
        int targetH = Math.max(1, (int) Math.round(src.getHeight() * (double) targetW / src.getWidth()));
        BufferedImage scaled = scale(src, targetW, targetH);

        int px;
        int py;
        if (plan.x() != null) {
            px = plan.x();
            py = plan.y();
        } else {
            int m = plan.margin();
            px = switch (plan.position()) {
                case TOP_LEFT, BOTTOM_LEFT -> m;
                case TOP_RIGHT, BOTTOM_RIGHT -> frameWidth - targetW - m;
                case CENTER -> (frameWidth - targetW) / 2;
            };
            py = switch (plan.position()) {
                case TOP_LEFT, TOP_RIGHT -> m;
                case BOTTOM_LEFT, BOTTOM_RIGHT -> frameHeight - targetH - m;
                case CENTER -> (frameHeight - targetH) / 2;
            };
        }
        // even origin: the chroma samples then cover whole 2x2 blocks of the overlay
        this.x = Math.max(0, px) & ~1;
        this.y = Math.max(0, py) & ~1;
        this.w = Math.min(targetW, frameWidth - x);
        this.h = Math.min(targetH, frameHeight - y);
        if (w <= 0 || h <= 0) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, "the overlay lies outside the picture");
        }
        int opacity = (int) Math.round(plan.opacity() * 256);
        luma = new byte[w * h];
        alpha = new byte[w * h];
        int[] cbSum = new int[w * h];
        int[] crSum = new int[w * h];
        int[] argb = scaled.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < w * h; i++) {
            int p = argb[i];
            int a = ((p >>> 24) * opacity) >> 8;
            int r = (p >> 16) & 0xff;
            int g = (p >> 8) & 0xff;
            int b = p & 0xff;
            luma[i] = (byte) clamp((int) Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255));
            alpha[i] = (byte) a;
            cbSum[i] = (int) Math.round(128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255);
            crSum[i] = (int) Math.round(128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255);
        }
        cw = (w + 1) / 2;
        ch = (h + 1) / 2;
        cb = new byte[cw * ch];
        cr = new byte[cw * ch];
        chromaAlpha = new byte[cw * ch];
        for (int cy = 0; cy < ch; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                int as = 0;
                long bs = 0;
                long rs = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int ox = 2 * cx + dx;
                        int oy = 2 * cy + dy;
                        if (ox < w && oy < h) {
                            int i = oy * w + ox;
                            int a = alpha[i] & 0xff;
                            as += a;
                            bs += (long) cbSum[i] * a;
                            rs += (long) crSum[i] * a;
                        }
                    }
                }
                int ci = cy * cw + cx;
                chromaAlpha[ci] = (byte) ((as + 2) / 4);
                cb[ci] = (byte) (as == 0 ? 128 : clamp((int) ((bs + as / 2) / as)));
                cr[ci] = (byte) (as == 0 ? 128 : clamp((int) ((rs + as / 2) / as)));
            }
        }
        row = new byte[w];
    }

    /** Whether the overlay shows at this output time. */
    boolean activeAt(double outputSeconds) {
        return outputSeconds >= start && outputSeconds < end;
    }

    /** Blends into a packed yuv420p picture of the frame size. */
    void blend(BytePointer picture) {
        ByteBuffer buf = picture.position(0).limit(frameWidth * frameHeight * 3L / 2).asByteBuffer();
        blendPlane(buf, 0, frameWidth, luma, alpha, w, h, x, y);
        int cStride = frameWidth / 2;
        int uBase = frameWidth * frameHeight;
        int vBase = uBase + cStride * (frameHeight / 2);
        int cwFit = Math.min(cw, cStride - x / 2);
        int chFit = Math.min(ch, frameHeight / 2 - y / 2);
        blendChroma(buf, uBase, cStride, cb, cwFit, chFit);
        blendChroma(buf, vBase, cStride, cr, cwFit, chFit);
    }

    private void blendChroma(ByteBuffer buf, int base, int stride, byte[] plane, int cwFit, int chFit) {
        for (int r = 0; r < chFit; r++) {
            int off = base + (y / 2 + r) * stride + x / 2;
            buf.get(off, row, 0, cwFit);
            for (int c = 0; c < cwFit; c++) {
                int a = chromaAlpha[r * cw + c] & 0xff;
                if (a != 0) {
                    row[c] = mix(plane[r * cw + c] & 0xff, row[c] & 0xff, a);
                }
            }
            buf.put(off, row, 0, cwFit);
        }
    }

    private void blendPlane(ByteBuffer buf, int base, int stride, byte[] src, byte[] a, int sw, int sh, int ox,
            int oy) {
        for (int r = 0; r < sh; r++) {
            int off = base + (oy + r) * stride + ox;
            buf.get(off, row, 0, sw);
            for (int c = 0; c < sw; c++) {
                int al = a[r * sw + c] & 0xff;
                if (al != 0) {
                    row[c] = mix(src[r * sw + c] & 0xff, row[c] & 0xff, al);
                }
            }
            buf.put(off, row, 0, sw);
        }
    }

    private static byte mix(int over, int under, int a) {
        return (byte) ((over * a + under * (255 - a) + 127) / 255);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Premultiplied-alpha scaling (no dark fringes), halving first for large reductions. */
    private static BufferedImage scale(BufferedImage src, int w, int h) {
        BufferedImage current = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_ARGB_PRE);
        draw(src, current, src.getWidth(), src.getHeight());
        while (current.getWidth() / 2 >= w && current.getHeight() / 2 >= h) {
            BufferedImage half = new BufferedImage(current.getWidth() / 2, current.getHeight() / 2,
                    BufferedImage.TYPE_INT_ARGB_PRE);
            draw(current, half, half.getWidth(), half.getHeight());
            current = half;
        }
        if (current.getWidth() == w && current.getHeight() == h) {
            return current;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB_PRE);
        draw(current, out, w, h);
        return out;
    }

    private static void draw(BufferedImage from, BufferedImage to, int w, int h) {
        Graphics2D g = to.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(from, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
    }
}
