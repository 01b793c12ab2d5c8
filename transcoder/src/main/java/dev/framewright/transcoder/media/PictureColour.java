package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_BT2020;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_CL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_NCL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_RGB;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_ARIB_STD_B67;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE2084;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_RGB;
import static org.bytedeco.ffmpeg.global.avutil.av_color_primaries_name;
import static org.bytedeco.ffmpeg.global.avutil.av_color_range_name;
import static org.bytedeco.ffmpeg.global.avutil.av_color_space_name;
import static org.bytedeco.ffmpeg.global.avutil.av_color_transfer_name;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;

import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * The colour a video stream's samples mean (primaries, transfer, YUV matrix, range: FFmpeg's {@code AVCOL_*} values,
 * which are the ITU-T H.273 code points zimg uses too), and what every 8-bit SDR output makes of it.
 *
 * <p>Rules, in this order:
 * <ol>
 * <li>What the stream declares wins. Unspecified values are filled by size, as broadcast practice and every player
 * do: a picture under 720 lines is SD, BT.601 (matrix and transfer {@code smpte170m}, primaries {@code bt470bg} at 576
 * lines, else {@code smpte170m}); 720 lines and up is HD, BT.709 throughout. Range defaults to limited ({@code tv}),
 * full for {@code yuvj*} formats. An RGB source (PNG, BMP) is converted to YUV with BT.601 coefficients by swscale's
 * default, so its encodes carry matrix {@code smpte170m} with BT.709 (sRGB) primaries and transfer.</li>
 * <li>A PQ (SMPTE ST 2084, HDR10) or HLG (ARIB STD-B67) source is tone-mapped to SDR BT.709 (see
 * {@link #conversion()}); any other wide-gamut source (BT.2020 SDR, Display P3) is converted to BT.709 primaries.</li>
 * <li>Every encoded output is tagged with what its samples are: the source's (as filled above) for BT.601/BT.709
 * sources, BT.709 for converted ones; range always limited (a full-range source is squeezed on the way).</li>
 * </ol>
 */
record PictureColour(int primaries, int transfer, int matrix, int range) {

    /** HDR reference white (ITU-R BT.2408): the level that becomes SDR's 100 % before the highlights roll off. */
    static final int REFERENCE_WHITE_NITS = 203;

    /** BT.709 limited range: what converted pictures are. */
    static final PictureColour BT709 = new PictureColour(AVCOL_PRI_BT709, AVCOL_TRC_BT709, AVCOL_SPC_BT709,
            AVCOL_RANGE_MPEG);

    /** The stream's colour as declared, unspecified values filled by the rules above. */
    static PictureColour of(AVCodecParameters par) {
        return declared(par).resolved(par.width(), par.height(), par.format());
    }

    /** The colour of the grabber's video stream; {@link #BT709} when it has none. */
    static PictureColour of(FFmpegFrameGrabber g) {
        AVFormatContext oc = g.getFormatContext();
        int index = g.getVideoStream();
        if (oc == null || index < 0 || index >= oc.nb_streams()) {
            return BT709;
        }
        return of(oc.streams(index).codecpar());
    }

    /** Exactly what the stream declares (unspecified values stay unspecified). */
    static PictureColour declared(AVCodecParameters par) {
        return new PictureColour(par.color_primaries(), par.color_trc(), par.color_space(), par.color_range());
    }

    PictureColour resolved(int width, int height, int pixelFormat) {
        AVPixFmtDescriptor desc = pixelFormat >= 0 ? av_pix_fmt_desc_get(pixelFormat) : null;
        boolean rgb = desc != null && (desc.flags() & AV_PIX_FMT_FLAG_RGB) != 0 || matrix == AVCOL_SPC_RGB;
        boolean sd = height > 0 && height < 720;
        int p = primaries;
        int t = transfer;
        int m = matrix;
        int r = range;
        if (rgb) {
            return new PictureColour(p == AVCOL_PRI_UNSPECIFIED ? AVCOL_PRI_BT709 : p,
                    t == AVCOL_TRC_UNSPECIFIED ? AVCOL_TRC_BT709 : t, AVCOL_SPC_SMPTE170M, AVCOL_RANGE_MPEG);
        }
        if (p == AVCOL_PRI_UNSPECIFIED) {
            // the matrix says the family more often than the primaries are missing with it
            if (m == AVCOL_SPC_BT2020_NCL || m == AVCOL_SPC_BT2020_CL) {
                p = AVCOL_PRI_BT2020;
            } else {
                p = sd ? (height == 576 ? AVCOL_PRI_BT470BG : AVCOL_PRI_SMPTE170M) : AVCOL_PRI_BT709;
            }
        }
        if (t == AVCOL_TRC_UNSPECIFIED) {
            t = sd ? AVCOL_TRC_SMPTE170M : AVCOL_TRC_BT709;
        }
        if (m == AVCOL_SPC_UNSPECIFIED) {
            m = p == AVCOL_PRI_BT2020 ? AVCOL_SPC_BT2020_NCL : sd ? AVCOL_SPC_SMPTE170M : AVCOL_SPC_BT709;
        }
        if (r == AVCOL_RANGE_UNSPECIFIED) {
            boolean jpeg = desc != null && desc.name() != null && desc.name().getString().startsWith("yuvj");
            r = jpeg ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
        }
        return new PictureColour(p, t, m, r);
    }

    /** PQ or HLG. */
    boolean hdr() {
        return transfer == AVCOL_TRC_SMPTE2084 || transfer == AVCOL_TRC_ARIB_STD_B67;
    }

    /** Whether the samples must be converted to be shown right on an SDR BT.709 screen. */
    boolean needsConversion() {
        return hdr() || WIDE_PRIMARIES.contains(primaries);
    }

    /**
     * Primaries other than BT.709's (and BT.601's, which are close enough to show as they are) that zimg converts:
     * BT.470M, SMPTE 240M, film, BT.2020, DCI-P3, Display P3, EBU 3213. Other (rare, often bogus) values are shown as
     * BT.709 rather than failing the decode.
     */
    private static final java.util.Set<Integer> WIDE_PRIMARIES = java.util.Set.of(4, 7, 8, AVCOL_PRI_BT2020, 11, 12,
            22);
    /** Transfers zimg reads besides PQ and HLG; any other is read as BT.709. */
    private static final java.util.Set<Integer> SDR_TRANSFERS = java.util.Set.of(1, 4, 5, 6, 7, 8, 13, 14, 15);
    /** YUV matrices zimg reads; any other is read as BT.709. */
    private static final java.util.Set<Integer> MATRICES = java.util.Set.of(1, 5, 6, 9, 10);

    boolean fullRange() {
        return range == AVCOL_RANGE_JPEG;
    }

    /** What the pictures are once through {@link #conversion()}, and what outputs are tagged. */
    PictureColour output() {
        if (needsConversion()) {
            return BT709;
        }
        return new PictureColour(primaries, transfer, matrix, AVCOL_RANGE_MPEG);
    }

    /**
     * The libavfilter steps that turn this colour into SDR BT.709 limited range (zimg, through {@code zscale}), or
     * null when none is needed. HDR: to linear light with 203 nits (the BT.2408 HDR reference white) as 1.0, to BT.709
     * primaries in float, then {@code tonemap=mobius} (linear up to a knee, highlights rolled off smoothly to the
     * peak, which {@code tonemap} reads from the frames' mastering-display metadata when they carry it), then the
     * BT.709 OETF and matrix. {@code desat=0}: highlights keep their hue instead of going grey. Other wide gamuts: one
     * {@code zscale} that converts the primaries in linear light. The output format is left to the caller.
     */
    String conversion() {
        if (!needsConversion()) {
            return null;
        }
        // zscale takes the H.273 code points (= FFmpeg's AVCOL_* values) as numbers
        int tin = hdr() || SDR_TRANSFERS.contains(transfer) ? transfer : AVCOL_TRC_BT709;
        int pin = WIDE_PRIMARIES.contains(primaries) ? primaries : AVCOL_PRI_BT709;
        int min = MATRICES.contains(matrix) ? matrix : AVCOL_SPC_BT709;
        String in = String.format(Locale.ROOT, "zscale=tin=%d:pin=%d:min=%d:rin=%s", tin, pin, min,
                fullRange() ? "full" : "limited");
        if (hdr()) {
            return in + ":t=linear:npl=" + REFERENCE_WHITE_NITS
                    + ",format=gbrpf32le,zscale=p=bt709,tonemap=mobius:desat=0,zscale=t=bt709:m=bt709:r=limited";
        }
        return in + ":p=bt709:t=bt709:m=bt709:r=limited";
    }

    /** Tags an encoder with {@link #output()} (the codec writes them into the bitstream, the muxer into the box). */
    void tag(FrameRecorder recorder) {
        PictureColour out = output();
        recorder.setVideoOption("color_primaries", name(av_color_primaries_name(out.primaries)));
        recorder.setVideoOption("color_trc", name(av_color_transfer_name(out.transfer)));
        recorder.setVideoOption("colorspace", name(av_color_space_name(out.matrix)));
        recorder.setVideoOption("color_range", name(av_color_range_name(out.range)));
    }

    String primariesName() {
        return specified(primaries, AVCOL_PRI_UNSPECIFIED) ? name(av_color_primaries_name(primaries)) : null;
    }

    String transferName() {
        return specified(transfer, AVCOL_TRC_UNSPECIFIED) ? name(av_color_transfer_name(transfer)) : null;
    }

    String matrixName() {
        return specified(matrix, AVCOL_SPC_UNSPECIFIED) ? name(av_color_space_name(matrix)) : null;
    }

    String rangeName() {
        return specified(range, AVCOL_RANGE_UNSPECIFIED) ? name(av_color_range_name(range)) : null;
    }

    private static boolean specified(int value, int unspecified) {
        return value != unspecified && value >= 0;
    }

    private static String name(BytePointer p) {
        return p == null || p.isNull() ? null : p.getString();
    }

    @Override
    public String toString() {
        return primariesName() + "/" + transferName() + "/" + matrixName() + "/" + rangeName();
    }
}
