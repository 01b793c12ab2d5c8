package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Scales packed yuv420p source pictures of one size into a packed picture of another size and pixel format, owned by
 * this scaler (one per sink, used by one thread).
 */
final class Scaler implements AutoCloseable {

    final int width;
    final int height;
    final int pixelFormat;
    final BytePointer out;
    final int outSize;
    private final int srcWidth;
    private final int srcHeight;
    private final SwsContext ctx;
    private final PointerPointer<BytePointer> srcPlanes = new PointerPointer<>(4);
    private final IntPointer srcLines = new IntPointer(4);
    private final PointerPointer<BytePointer> dstPlanes = new PointerPointer<>(4);
    private final IntPointer dstLines = new IntPointer(4);

    Scaler(int srcWidth, int srcHeight, int width, int height, int pixelFormat) {
        this(srcWidth, srcHeight, width, height, pixelFormat, null);
    }

    /**
     * @param colour what the yuv420p source means, for a conversion to RGB (swscale assumes BT.601 otherwise); null
     *               for yuv to yuv, which keeps the samples' matrix
     */
    Scaler(int srcWidth, int srcHeight, int width, int height, int pixelFormat, PictureColour colour) {
        this.srcWidth = srcWidth;
        this.srcHeight = srcHeight;
        this.width = width;
        this.height = height;
        this.pixelFormat = pixelFormat;
        this.ctx = sws_getContext(srcWidth, srcHeight, AV_PIX_FMT_YUV420P, width, height, pixelFormat, SWS_BICUBIC,
                null, null, (DoublePointer) null);
        if (ctx == null) {
            throw new IllegalStateException("cannot scale " + srcWidth + "x" + srcHeight + " to " + width + "x"
                    + height);
        }
        if (colour != null) {
            sws_setColorspaceDetails(ctx, sws_getCoefficients(colour.matrix()), colour.fullRange() ? 1 : 0,
                    sws_getCoefficients(colour.matrix()), 1, 0, 1 << 16, 1 << 16);
        }
        this.outSize = av_image_get_buffer_size(pixelFormat, width, height, 1);
        this.out = new BytePointer(outSize);
        av_image_fill_arrays(dstPlanes, dstLines, out, pixelFormat, width, height, 1);
    }

    /** Scales {@code src} into {@link #out}. */
    BytePointer scale(SharedFrame src) {
        av_image_fill_arrays(srcPlanes, srcLines, src.data, AV_PIX_FMT_YUV420P, srcWidth, srcHeight, 1);
        sws_scale(ctx, srcPlanes, srcLines, 0, srcHeight, dstPlanes, dstLines);
        return out;
    }

    @Override
    public void close() {
        sws_freeContext(ctx);
        out.close();
        srcPlanes.close();
        srcLines.close();
        dstPlanes.close();
        dstLines.close();
    }
}
