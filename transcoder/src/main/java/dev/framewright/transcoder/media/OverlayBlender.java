package dev.framewright.transcoder.media;

import dev.framewright.events.FailureCode;
import dev.framewright.transcoder.media.faces.FaceBox;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.BytePointer;

/**
 * Alpha-blends an image onto packed yuv420p pictures of one size. The image is decoded (ImageIO: PNG with its alpha,
 * JPEG, GIF, BMP), scaled, converted to BT.601 limited-range Y'CbCr with a per-pixel alpha (times the opacity) and a
 * per-chroma-sample alpha (the 2x2 average, chroma weighted by alpha), then blended into each frame inside its time
 * window: {@code out = (overlay * a + frame * (255 - a)) / 255}. Only the overlay's rectangle is touched. This is what
 * FFmpeg's {@code overlay} filter does for yuv420p, without a second filter input or a {@code movie} source opening
 * files outside {@link FFmpegSupport}.
 *
 * <p>Anchored on the frame, the image is scaled once and placed once. Anchored on faces ({@link #follow}), each frame
 * gets the image over each face of the scan at that frame's media time (the tracked, interpolated boxes the redaction
 * uses, so the overlay moves with the face without flicker), the box grown by the plan's face margin on each side,
 * the largest {@code maxFaces} of them: the image fills the grown box, aspect kept and centre-cropped (as CSS
 * {@code object-fit: cover}), clipped to the frame. The few sizes a face takes are scaled once and kept (the last
 * {@link #SIZES_KEPT}).
 */
final class OverlayBlender {

    static final int SIZES_KEPT = 16;

    private final OutputPlans.OverlayPlan plan;
    private final int frameWidth;
    private final int frameHeight;
    private final int opacity;
    private final byte[] row;
    /** Frame anchor: the one picture and its top-left corner. */
    private final Prepared fixed;
    final int x;
    final int y;
    /** Face anchor: the image reduced once (premultiplied), the sizes scaled from it, the scan. */
    private final BufferedImage base;
    private final Map<Long, Prepared> sizes = new LinkedHashMap<>(SIZES_KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Prepared> eldest) {
            return size() > SIZES_KEPT;
        }
    };
    private FaceScan.Result faces;

    OverlayBlender(OutputPlans.OverlayPlan plan, int frameWidth, int frameHeight) throws MediaException {
        this.plan = plan;
        this.frameWidth = frameWidth;
        this.frameHeight = frameHeight;
        this.opacity = (int) Math.round(plan.opacity() * 256);
        this.row = new byte[frameWidth];
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
        if (plan.onFaces()) {
            // a face is never larger than the frame: reduce a large photo once, not for every size a face takes
            double fit = Math.min(1, Math.max((double) frameWidth / src.getWidth(),
                    (double) frameHeight / src.getHeight()));
            base = scale(src, Math.max(1, (int) Math.round(src.getWidth() * fit)),
                    Math.max(1, (int) Math.round(src.getHeight() * fit)));
            fixed = null;
            x = 0;
            y = 0;
            return;
        }
        base = null;
        int targetW = plan.width() != null ? plan.width() : Math.min(src.getWidth(), frameWidth);
        int targetH = Math.max(1, (int) Math.round(src.getHeight() * (double) targetW / src.getWidth()));
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
        int w = Math.min(targetW, frameWidth - x);
        int h = Math.min(targetH, frameHeight - y);
        if (w <= 0 || h <= 0) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, "the overlay lies outside the picture");
        }
        fixed = new Prepared(scale(src, targetW, targetH), w, h, opacity);
    }

    /** Whether the image goes over the faces; then {@link #follow} must be called before the first frame. */
    boolean onFaces() {
        return plan.onFaces();
    }

    /** The faces to place the image on, found in the input as displayed. */
    void follow(FaceScan.Result scan) {
        this.faces = scan;
    }

    /** Whether the overlay shows at this output time. */
    boolean activeAt(double outputSeconds) {
        return outputSeconds >= plan.start() && outputSeconds < plan.end();
    }

    /**
     * Blends into a packed yuv420p picture of the frame size.
     *
     * @param sourceSeconds the picture's source media time (where the faces are looked up)
     */
    void blend(BytePointer picture, double sourceSeconds) {
        ByteBuffer buf = picture.position(0).limit(frameWidth * frameHeight * 3L / 2).asByteBuffer();
        if (fixed != null) {
            blend(buf, fixed, x, y);
            return;
        }
        if (faces == null) {
            throw new IllegalStateException("a face-anchored overlay needs the faces of the input");
        }
        double sx = (double) frameWidth / faces.width();
        double sy = (double) frameHeight / faces.height();
        List<FaceBox> boxes = faces.tracks().at(sourceSeconds).stream()
                .sorted(Comparator.comparingLong((FaceBox b) -> (long) b.width() * b.height()).reversed())
                .limit(plan.maxFaces()).toList();
        for (FaceBox face : boxes) {
            FaceBox b = face.scaled(sx, sy);
            int dx = (int) Math.round(b.width() * plan.faceMargin());
            int dy = (int) Math.round(b.height() * plan.faceMargin());
            // even origin and size: whole 2x2 chroma blocks, and fewer distinct sizes as a face's box changes
            int bx = (b.x() - dx) & ~1;
            int by = (b.y() - dy) & ~1;
            int bw = Math.max(2, (b.width() + 2 * dx + 1) & ~1);
            int bh = Math.max(2, (b.height() + 2 * dy + 1) & ~1);
            if (bx >= frameWidth || by >= frameHeight || bx + bw <= 0 || by + bh <= 0) {
                continue;
            }
            blend(buf, sizes.computeIfAbsent(((long) bw << 32) | bh, k -> covering(bw, bh)), bx, by);
        }
    }

    /** The image filling a {@code w x h} box, aspect kept, centre-cropped. */
    private Prepared covering(int w, int h) {
        double s = Math.max((double) w / base.getWidth(), (double) h / base.getHeight());
        int sw = Math.max(w, (int) Math.ceil(base.getWidth() * s));
        int sh = Math.max(h, (int) Math.ceil(base.getHeight() * s));
        BufferedImage scaled = scale(base, sw, sh);
        return new Prepared(scaled.getSubimage((sw - w) / 2, (sh - h) / 2, w, h), w, h, opacity);
    }

    /** Blends {@code p} with its top-left at ({@code ox}, {@code oy}), even, possibly outside: clipped to the frame. */
    private void blend(ByteBuffer buf, Prepared p, int ox, int oy) {
        int c0 = Math.max(0, -ox);
        int c1 = Math.min(p.w, frameWidth - ox);
        for (int r = Math.max(0, -oy); r < Math.min(p.h, frameHeight - oy); r++) {
            mixRow(buf, (oy + r) * frameWidth + ox, p.luma, p.alpha, r * p.w, c0, c1);
        }
        int cStride = frameWidth / 2;
        int uBase = frameWidth * frameHeight;
        int vBase = uBase + cStride * (frameHeight / 2);
        int cox = ox / 2;
        int coy = oy / 2;
        int cc0 = Math.max(0, -cox);
        int cc1 = Math.min(p.cw, cStride - cox);
        for (int r = Math.max(0, -coy); r < Math.min(p.ch, frameHeight / 2 - coy); r++) {
            int off = (coy + r) * cStride + cox;
            mixRow(buf, uBase + off, p.cb, p.chromaAlpha, r * p.cw, cc0, cc1);
            mixRow(buf, vBase + off, p.cr, p.chromaAlpha, r * p.cw, cc0, cc1);
        }
    }

    /** Mixes {@code src[at + c]} over the frame at {@code off + c} for {@code c} in [c0, c1). */
    private void mixRow(ByteBuffer buf, int off, byte[] src, byte[] a, int at, int c0, int c1) {
        if (c1 <= c0) {
            return;
        }
        int n = c1 - c0;
        buf.get(off + c0, row, 0, n);
        for (int c = 0; c < n; c++) {
            int al = a[at + c0 + c] & 0xff;
            if (al != 0) {
                row[c] = mix(src[at + c0 + c] & 0xff, row[c] & 0xff, al);
            }
        }
        buf.put(off + c0, row, 0, n);
    }

    /** The image at one size, as Y'CbCr planes with alpha. */
    private static final class Prepared {
        final int w;
        final int h;
        final int cw;
        final int ch;
        final byte[] luma;
        final byte[] alpha;
        final byte[] cb;
        final byte[] cr;
        final byte[] chromaAlpha;

        /** The top-left {@code w x h} of {@code scaled}, its alpha times {@code opacity / 256}. */
        Prepared(BufferedImage scaled, int w, int h, int opacity) {
            this.w = w;
            this.h = h;
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
