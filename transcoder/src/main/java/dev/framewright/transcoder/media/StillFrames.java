package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONINTRA;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_CROP_UNALIGNED;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_ABGR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_ALPHA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_RGB;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_apply_cropping;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_move_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.SWS_LANCZOS;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import dev.framewright.events.FailureCode;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.concurrent.CancellationException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Decodes single frames of the video stream of an input opened by {@link FFmpegSupport#open}, on the grabber's
 * demuxer but with a decoder of its own, so a caller can seek to a key frame and take the first frame decoded there
 * (JavaCV's seeks always decode up to the requested time). Scales with swscale (Lanczos) into plain Java images.
 * Not thread safe; close it before the grabber.
 */
final class StillFrames implements AutoCloseable {

    /** FF_THREAD_SLICE: slice threads add no frame delay, so the first frame after a seek comes out first. */
    private static final int FF_THREAD_SLICE = 2;
    /** Give up looking for a key packet after this many (streams whose demuxer flags none). */
    private static final int MAX_SKIPPED_PACKETS = 5000;
    private static final int SCALE_FLAGS = SWS_LANCZOS | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT;

    private final AVFormatContext oc;
    private final int streamIndex;
    private final long startPts;
    private final double timeBase;
    private final AVCodecContext decoder;
    private final AVPacket packet;
    private final AVFrame frame;
    private final AVFrame kept;
    private AVFrame scaled;
    private SwsContext sws;
    private final double frameRate;
    /** How the stream's pictures are shown; {@link #upright} applies it. */
    final PictureGeometry geometry;
    /** What the stream's samples mean (unspecified values filled by size); {@link #upright} converts to SDR. */
    final PictureColour colour;
    private PictureFilter upright;
    private boolean inputEnded;
    /** Frames decoded before the demuxer was last put at the start (for inputs without timestamps). */
    private long orderBase;
    private boolean sought;

    /** Frames that came out of the decoder, packets that went into it. */
    long framesDecoded;
    long packetsSent;
    /** Packets of the stream read past, without decoding, on the way to a key packet. */
    long packetsSkipped;

    private StillFrames(AVFormatContext oc, AVStream stream, AVCodecContext decoder, double frameRate,
            PictureGeometry geometry, PictureColour colour) {
        this.oc = oc;
        this.geometry = geometry;
        this.colour = colour;
        this.frameRate = frameRate > 0 && Double.isFinite(frameRate) ? frameRate : 0;
        this.streamIndex = stream.index();
        this.startPts = stream.start_time() != AV_NOPTS_VALUE ? stream.start_time() : 0;
        AVRational tb = stream.time_base();
        this.timeBase = (double) tb.num() / tb.den();
        this.decoder = decoder;
        this.packet = av_packet_alloc();
        this.frame = av_frame_alloc();
        this.kept = av_frame_alloc();
    }

    /**
     * Opens a decoder for the grabber's video stream. The grabber must not be used to grab while this is open.
     *
     * @throws MediaException {@code INVALID_OUTPUT} when the input has no video stream, {@code UNSUPPORTED_MEDIA}
     *                        when there is no decoder for it
     */
    static StillFrames open(FFmpegFrameGrabber grabber, String inputName) throws MediaException {
        return open(grabber, inputName, true);
    }

    /** @param autorotate false: the stored frames, not turned upright ({@code "autorotate": false}) */
    static StillFrames open(FFmpegFrameGrabber grabber, String inputName, boolean autorotate) throws MediaException {
        AVFormatContext oc = grabber.getFormatContext();
        int index = grabber.getVideoStream();
        if (oc == null || !grabber.hasVideo() || index < 0 || index >= oc.nb_streams()) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, inputName + " has no video or image stream");
        }
        AVStream stream = oc.streams(index);
        AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
        if (codec == null) {
            throw new MediaException(FailureCode.UNSUPPORTED_MEDIA, "no decoder for the video of " + inputName);
        }
        AVCodecContext decoder = avcodec_alloc_context3(codec);
        if (decoder == null) {
            throw new MediaException(FailureCode.INTERNAL, "cannot allocate a video decoder");
        }
        int ret = avcodec_parameters_to_context(decoder, stream.codecpar());
        if (ret >= 0) {
            decoder.pkt_timebase(stream.time_base());
            decoder.thread_count(0);
            decoder.thread_type(FF_THREAD_SLICE);
            ret = avcodec_open2(decoder, codec, (PointerPointer<?>) null);
        }
        if (ret < 0) {
            avcodec_free_context(decoder);
            throw new MediaException(FailureCode.UNSUPPORTED_MEDIA, "cannot open the video decoder of " + inputName);
        }
        return new StillFrames(oc, stream, decoder, grabber.getVideoFrameRate(),
                PictureGeometry.of(oc, stream).unturned(autorotate),
                PictureColour.of(stream.codecpar()));
    }

    /**
     * Makes the decoder drop every frame that is not intra coded (and so skip their decoding work): right after a
     * seek to a key frame the first frame out is that key frame, and nothing else is wanted.
     */
    void intraOnly(boolean on) {
        decoder.skip_frame(on ? AVDISCARD_NONINTRA : AVDISCARD_DEFAULT);
    }

    /**
     * Seeks the demuxer to the key frame at or before {@code seconds} (from the stream's start) and resets the decoder.
     *
     * @return false when the input cannot seek (the position is then unchanged)
     */
    boolean seekKeyFrame(double seconds) {
        long target = startPts + Math.round(Math.max(0, seconds) / timeBase);
        if (av_seek_frame(oc, streamIndex, target, AVSEEK_FLAG_BACKWARD) < 0) {
            return false;
        }
        avcodec_flush_buffers(decoder);
        inputEnded = false;
        sought = seconds > 0;
        orderBase = framesDecoded;
        return true;
    }

    /**
     * The next decoded frame (owned by this object, valid until the next call), or null at the end of the stream.
     *
     * @throws CancellationException when the thread was interrupted (the interrupt flag stays set)
     */
    AVFrame next() {
        while (true) {
            checkInterrupted();
            int ret = avcodec_receive_frame(decoder, frame);
            if (ret >= 0) {
                framesDecoded++;
                checkInterrupted();
                return frame;
            }
            if (ret == AVERROR_EOF() || inputEnded) {
                return null; // drained (or the decoder fails while draining)
            }
            // EAGAIN (or a decode error, which FFmpeg's own tools skip too): feed the next packet of the stream
            feed();
        }
    }

    private void feed() {
        while (true) {
            checkInterrupted();
            int ret = av_read_frame(oc, packet);
            if (ret < 0) {
                inputEnded = true;
                avcodec_send_packet(decoder, null); // drain what the decoder still holds
                return;
            }
            try {
                if (packet.stream_index() == streamIndex) {
                    packetsSent++;
                    avcodec_send_packet(decoder, packet); // errors: corrupt packet, the next one may decode
                    return;
                }
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    /** Continues decoding in order from where the demuxer is (after a drain, the decoder is reset first). */
    void resume() {
        if (inputEnded) {
            avcodec_flush_buffers(decoder);
            inputEnded = false;
        }
    }

    /**
     * The next key frame from where the demuxer is: reads (without decoding) up to the stream's next packet flagged
     * key, sends only that packet and drains the decoder, so a decoder with a reorder delay (B-frames) gives it out at
     * once. When no packet is flagged, or that one does not decode on its own, decodes normally (non-intra frames
     * skipped) up to the first frame: after seeking again to {@code reseekTo}, or from here when that is null.
     *
     * @return the frame (owned by this object) or null when nothing decodes from there
     */
    AVFrame keyFrame(Double reseekTo) {
        if (feedKeyPacket()) {
            inputEnded = true;
            avcodec_send_packet(decoder, null);
            AVFrame f = next();
            if (f != null) {
                return f;
            }
        }
        if (reseekTo != null) {
            if (!seekKeyFrame(reseekTo)) {
                return null;
            }
        } else {
            resume();
        }
        boolean intra = decoder.skip_frame() == AVDISCARD_NONINTRA;
        intraOnly(true);
        try {
            return next();
        } finally {
            intraOnly(intra);
        }
    }

    /** Skips to the stream's next key packet and sends it; false at the end or after too many packets. */
    private boolean feedKeyPacket() {
        for (int skipped = 0; skipped < MAX_SKIPPED_PACKETS; skipped++) {
            checkInterrupted();
            if (av_read_frame(oc, packet) < 0) {
                return false;
            }
            try {
                if (packet.stream_index() == streamIndex) {
                    if ((packet.flags() & AV_PKT_FLAG_KEY) != 0) {
                        packetsSent++;
                        avcodec_send_packet(decoder, packet);
                        return true;
                    }
                    packetsSkipped++;
                }
            } finally {
                av_packet_unref(packet);
            }
        }
        return false;
    }

    /**
     * After {@link #seekKeyFrame}{@code (seconds)}: the key frame at or before {@code seconds}. Demuxers that seek by
     * byte position and timestamps (MPEG-TS, PS) can land after the key frame, so the first decodable frame is a later
     * one; then this seeks again, further back each time (0.5, 1, 2 ... 16 s).
     *
     * @return the frame (owned by this object) or null when nothing decodes from there
     */
    AVFrame keyFrameAtOrBefore(double seconds) {
        AVFrame f = keyFrame((Double) seconds);
        double back = 0.5;
        for (int tries = 0; tries < 6 && seconds > 0; tries++) {
            double shown = f == null ? Double.NaN : seconds(f);
            if (f != null && (Double.isNaN(shown) || shown <= seconds + 1e-3)) {
                return f;
            }
            double earlier = Math.max(0, seconds - back);
            if (!seekKeyFrame(earlier)) {
                return f;
            }
            f = keyFrame((Double) earlier);
            if (earlier == 0) {
                return f;
            }
            back *= 2;
        }
        return f;
    }

    /**
     * The frame shown at {@code seconds}: the last one starting at or before it (the first frame when the stream
     * starts later, the last when it ends earlier). Seeks to the key frame before and decodes from there; when the
     * first frame decoded is already later (a demuxer that seeks imprecisely, like MPEG-TS), seeks further back.
     *
     * @param seek false for inputs without a known duration (raw streams): decoded in order from where they are
     * @return the frame (owned by this object) or null when nothing decodes
     */
    AVFrame frameAt(double seconds, boolean seek) {
        intraOnly(false);
        if (!seek || seconds <= 0) {
            return decodeUpTo(seconds) ? kept : null;
        }
        double back = 0;
        while (true) {
            double target = Math.max(0, seconds - back);
            if (!seekKeyFrame(target)) {
                return back == 0 && decodeUpTo(seconds) ? kept : null; // cannot seek: decode from here
            }
            boolean have = decodeUpTo(seconds);
            if ((have && !firstLate) || target == 0 || back >= 16) {
                if (!have && target > 0 && seekKeyFrame(0)) {
                    have = decodeUpTo(seconds); // the seek went past what decodes (an over-reported duration)
                }
                return have ? kept : null;
            }
            back = back == 0 ? 0.5 : back * 2;
        }
    }

    /** Whether the first frame of the last {@link #decodeUpTo} was already after the time asked for. */
    private boolean firstLate;

    private boolean decodeUpTo(double seconds) {
        av_frame_unref(kept);
        boolean have = false;
        firstLate = false;
        AVFrame f;
        while ((f = next()) != null) {
            double t = seconds(f);
            boolean after = !Double.isNaN(t) && t > seconds + 1e-6;
            if (after && have) {
                break;
            }
            av_frame_unref(kept);
            av_frame_move_ref(kept, f);
            have = true;
            if (after) {
                firstLate = true;
                break;
            }
        }
        return have;
    }

    /**
     * Seconds from the stream's start at which the frame is shown. Without a timestamp (raw elementary streams), its
     * place in decoding order at the nominal frame rate while nothing was sought; else NaN.
     */
    double seconds(AVFrame f) {
        long pts = f.best_effort_timestamp();
        if (pts != AV_NOPTS_VALUE) {
            return (pts - startPts) * timeBase;
        }
        return !sought && frameRate > 0 ? (framesDecoded - orderBase - 1) / frameRate : Double.NaN;
    }

    /**
     * The frame as shown: deinterlaced, turned upright, in square pixels when it needed one of the first two (the
     * caller then takes a sample aspect ratio of 1); the frame itself when it needs neither. The result is owned by
     * this object, valid until the next call. Each still goes through a fresh chain, as a single frame (deinterlaced
     * from its own field, see {@link PictureGeometry#filter}).
     */
    AVFrame upright(AVFrame f) throws MediaException {
        if (!filtered()) {
            return f;
        }
        if (upright == null) {
            upright = new PictureFilter(geometry.filter(null, null, true, colour), geometry.sarNum(),
                    geometry.sarDen());
        }
        upright.reset();
        long pts = f.best_effort_timestamp();
        upright.push(f, pts == AV_NOPTS_VALUE ? 0 : pts);
        upright.end();
        AVFrame out = upright.pull();
        if (out == null) {
            throw new MediaException(FailureCode.INTERNAL, "the picture filter " + upright.chain()
                    + " gave no frame");
        }
        return out;
    }

    /**
     * Whether {@link #upright} changes the frame: turned, deinterlaced, or HDR / wide gamut converted to SDR BT.709
     * (and then square pixels, as shown).
     */
    boolean filtered() {
        return geometry.needsFilter() || colour.needsConversion();
    }

    /** Whether the frame's pixel format carries alpha. */
    static boolean hasAlpha(AVFrame f) {
        AVPixFmtDescriptor desc = av_pix_fmt_desc_get(f.format());
        return desc != null && (desc.flags() & AV_PIX_FMT_FLAG_ALPHA) != 0;
    }

    /** Sample (pixel) aspect ratio of the frame, 1 when unknown. */
    static double sampleAspect(AVFrame f) {
        AVRational sar = f.sample_aspect_ratio();
        return sar != null && sar.num() > 0 && sar.den() > 0 ? (double) sar.num() / sar.den() : 1.0;
    }

    /** Crops the frame in place (a centre crop for cover fits); chroma offsets round down on subsampled formats. */
    static void crop(AVFrame f, int left, int top, int width, int height) {
        f.crop_left(left).crop_top(top).crop_right(f.width() - left - width).crop_bottom(f.height() - top - height);
        av_frame_apply_cropping(f, AV_FRAME_CROP_UNALIGNED);
    }

    /**
     * Scales and converts a frame into a new {@code TYPE_3BYTE_BGR} image, or {@code TYPE_4BYTE_ABGR} with
     * {@code alpha}. Honours the frame's colour matrix and range (unspecified: the stream's, by {@link PictureColour}'s size rule).
     * JPEG, PNG and WebP are sRGB: BT.709 primaries, full range; wide-gamut and HDR frames come here converted by
     * {@link #upright}.
     */
    BufferedImage toImage(AVFrame f, int width, int height, boolean alpha) throws MediaException {
        int dstFormat = alpha ? AV_PIX_FMT_ABGR : AV_PIX_FMT_BGR24;
        sws = sws_getCachedContext(sws, f.width(), f.height(), f.format(), width, height, dstFormat, SCALE_FLAGS,
                null, null, (DoublePointer) null);
        if (sws == null) {
            throw new MediaException(FailureCode.UNSUPPORTED_MEDIA,
                    "cannot convert " + f.width() + "x" + f.height() + " frames of this pixel format");
        }
        AVPixFmtDescriptor desc = av_pix_fmt_desc_get(f.format());
        if (desc != null && (desc.flags() & AV_PIX_FMT_FLAG_RGB) == 0 && desc.nb_components() >= 3) {
            // an untagged frame means what the stream means: BT.601 under 720 lines, BT.709 above (PictureColour)
            int space = f.colorspace() != AVCOL_SPC_UNSPECIFIED ? f.colorspace() : colour.matrix();
            int fullRange = f.color_range() == AVCOL_RANGE_JPEG || desc.name().getString().startsWith("yuvj")
                    || f.color_range() == AVCOL_RANGE_UNSPECIFIED && colour.fullRange() ? 1 : 0;
            // unknown matrices fall back to the default inside swscale
            sws_setColorspaceDetails(sws, sws_getCoefficients(space), fullRange, sws_getCoefficients(space), 1,
                    0, 1 << 16, 1 << 16);
        }
        if (scaled == null || scaled.width() != width || scaled.height() != height || scaled.format() != dstFormat) {
            if (scaled != null) {
                av_frame_free(scaled);
            }
            scaled = av_frame_alloc();
            scaled.format(dstFormat).width(width).height(height);
            if (av_frame_get_buffer(scaled, 0) < 0) {
                throw new MediaException(FailureCode.INTERNAL, "cannot allocate a " + width + "x" + height + " image");
            }
        }
        sws_scale(sws, new PointerPointer<>(f), f.linesize(), 0, f.height(), new PointerPointer<>(scaled),
                scaled.linesize());
        int bytesPerPixel = alpha ? 4 : 3;
        BufferedImage image = new BufferedImage(width, height,
                alpha ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int row = width * bytesPerPixel;
        int stride = scaled.linesize(0);
        var src = scaled.data(0).capacity((long) stride * height);
        for (int y = 0; y < height; y++) {
            src.position((long) y * stride).get(dst, y * row, row);
        }
        src.position(0);
        return image;
    }

    private static void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("interrupted while decoding stills");
        }
    }

    @Override
    public void close() {
        if (upright != null) {
            upright.close();
            upright = null;
        }
        if (scaled != null) {
            av_frame_free(scaled);
            scaled = null;
        }
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        av_frame_free(kept);
        av_frame_free(frame);
        av_packet_free(packet);
        avcodec_free_context(decoder);
    }
}
