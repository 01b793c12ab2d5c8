package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_BB;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_BT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_PROGRESSIVE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_TB;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_TT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_sample_aspect_ratio;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * How a video stream's pictures are meant to be shown, which is not how they are stored: turned by the display matrix
 * (or the legacy {@code rotate} tag) that phones write instead of rotating pixels, stretched by a non-square sample
 * aspect ratio (anamorphic DV and broadcast), and woven from two fields when interlaced. Every output shows the
 * displayed picture: upright, square pixels, progressive.
 *
 * @param storedWidth  coded picture width, pixels
 * @param storedHeight coded picture height, pixels
 * @param sarNum       sample aspect ratio numerator (1 when unknown)
 * @param sarDen       sample aspect ratio denominator (1 when unknown)
 * @param rotation     degrees the stored picture is turned clockwise to be shown: 0, 90, 180 or 270 (other angles are
 *                     rounded to the nearest quarter turn; a mirrored matrix is shown unmirrored)
 * @param fieldOrder   {@code progressive}, {@code tt}, {@code bb}, {@code tb}, {@code bt}, or null when the stream
 *                     does not say
 */
record PictureGeometry(int storedWidth, int storedHeight, int sarNum, int sarDen, int rotation, String fieldOrder) {

    static final PictureGeometry NONE = new PictureGeometry(0, 0, 1, 1, 0, null);

    /** The stream's geometry, from its codec parameters, side data and tags. */
    static PictureGeometry of(AVFormatContext oc, AVStream st) {
        AVCodecParameters par = st.codecpar();
        AVRational sar = av_guess_sample_aspect_ratio(oc, st, null);
        int num = sar != null && sar.num() > 0 && sar.den() > 0 ? sar.num() : 1;
        int den = sar != null && sar.num() > 0 && sar.den() > 0 ? sar.den() : 1;
        return new PictureGeometry(par.width(), par.height(), num, den, rotation(st), fieldOrder(par.field_order()));
    }

    /** The geometry of the grabber's video stream; {@link #NONE} when it has none. */
    static PictureGeometry of(FFmpegFrameGrabber g) {
        AVFormatContext oc = g.getFormatContext();
        int index = g.getVideoStream();
        if (oc == null || index < 0 || index >= oc.nb_streams()) {
            return NONE;
        }
        PictureGeometry geometry = of(oc, oc.streams(index));
        if (geometry.storedWidth() <= 0 || geometry.storedHeight() <= 0) {
            return new PictureGeometry(g.getImageWidth(), g.getImageHeight(), geometry.sarNum(), geometry.sarDen(),
                    geometry.rotation(), geometry.fieldOrder());
        }
        return geometry;
    }

    /**
     * This geometry as {@code "autorotate": false} wants it: the stored frame, not turned (the pixel shape and the
     * interlacing are still taken care of).
     */
    PictureGeometry unturned(boolean autorotate) {
        return autorotate || rotation == 0 ? this
                : new PictureGeometry(storedWidth, storedHeight, sarNum, sarDen, 0, fieldOrder);
    }

    double sampleAspect() {
        return (double) sarNum / sarDen;
    }

    boolean squarePixels() {
        return sarNum == sarDen;
    }

    /** Whether the stream declares interlaced pictures (either field first). */
    boolean interlaced() {
        return fieldOrder != null && !fieldOrder.equals("progressive");
    }

    boolean quarterTurn() {
        return rotation == 90 || rotation == 270;
    }

    /** Whether a picture must go through {@link #filter} to be shown right (SAR alone is left to the scalers). */
    boolean needsFilter() {
        return rotation != 0 || interlaced();
    }

    /**
     * Whether decoded pictures (for encoders) must go through {@link #filter}: to be shown right, to be converted to
     * SDR BT.709, or to be squeezed from full to limited range (raw decoder frames keep their range otherwise).
     */
    boolean needsFilter(PictureColour colour) {
        return needsFilter() || colour.needsConversion() || colour.fullRange();
    }

    /** Shown width in square pixels: the stored width stretched by the SAR, then turned. */
    int displayWidth() {
        return quarterTurn() ? storedHeight : unturnedWidth();
    }

    int displayHeight() {
        return quarterTurn() ? unturnedWidth() : storedHeight;
    }

    private int unturnedWidth() {
        return (int) Math.max(1, Math.round(storedWidth * sampleAspect()));
    }

    /**
     * The libavfilter chain that turns a decoded picture into the displayed one: {@code bwdif} when interlaced (one
     * frame per frame, before anything mixes the lines of the two fields), a scale to {@code size} (given as shown;
     * the scale runs before the turn, on the smaller picture), then {@code transpose} or {@code hflip,vflip}.
     *
     * <p>A single still has no neighbouring frames, and bwdif fed one woven frame finds no motion between its
     * "previous" and "next" and weaves the fields back together: stills are deinterlaced with {@code estdif}, which
     * interpolates the missing lines from the frame's own field along edges.
     *
     * @param size        the shown size wanted, or null for {@link #displayWidth()} x {@link #displayHeight()}
     * @param pixelFormat the output pixel format name (e.g. {@code yuv420p}), or null to keep the decoder's
     * @param still       true for a chain fed one frame at a time (stills)
     */
    String filter(BoxFit.Size size, String pixelFormat, boolean still) {
        return filter(size, pixelFormat, still, null);
    }

    /**
     * As {@link #filter(BoxFit.Size, String, boolean)}, and converting the colour to SDR BT.709 limited range (see
     * {@link PictureColour#conversion()}) after the scale, on the smaller picture: tone mapping runs in float RGB and
     * is the most expensive step of the chain. A chain without an output format that converts gives yuv444p.
     *
     * @param colour the source's colour, or null to leave the samples as they are
     */
    String filter(BoxFit.Size size, String pixelFormat, boolean still, PictureColour colour) {
        String conversion = colour == null ? null : colour.conversion();
        boolean squeeze = colour != null && conversion == null && colour.fullRange() && pixelFormat != null;
        List<String> steps = new ArrayList<>();
        if (interlaced()) {
            steps.add(still ? "estdif=mode=frame:parity=auto:deint=all"
                    : "bwdif=mode=send_frame:parity=auto:deint=all");
        }
        int w = size != null ? size.width() : displayWidth();
        int h = size != null ? size.height() : displayHeight();
        int scaleW = quarterTurn() ? h : w;
        int scaleH = quarterTurn() ? w : h;
        if (scaleW != storedWidth || scaleH != storedHeight || pixelFormat != null || !squarePixels()) {
            steps.add("scale=" + scaleW + ":" + scaleH + ":flags=bicubic" + (squeeze ? ":out_range=limited" : ""));
        }
        if (conversion != null) {
            steps.add(conversion);
        }
        if (pixelFormat != null) {
            steps.add("format=" + pixelFormat);
        } else if (conversion != null) {
            steps.add("format=yuv444p");
        }
        steps.add("setsar=1");
        switch (rotation) {
            case 90 -> steps.add("transpose=clock");
            case 180 -> {
                steps.add("hflip");
                steps.add("vflip");
            }
            case 270 -> steps.add("transpose=cclock");
            default -> {
            }
        }
        return String.join(",", steps);
    }

    /** {@code 16:15}, or null for square pixels. */
    String sampleAspectRatio() {
        return squarePixels() ? null : sarNum + ":" + sarDen;
    }

    /**
     * Clockwise degrees, from the stream's display matrix (which FFmpeg gives counter-clockwise), else from the
     * legacy {@code rotate} tag (clockwise); 0 when neither.
     */
    static int rotation(AVStream st) {
        AVCodecParameters par = st.codecpar();
        if (par.nb_coded_side_data() > 0) {
            AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(),
                    AV_PKT_DATA_DISPLAYMATRIX);
            if (sd != null && !sd.isNull() && sd.size() >= 9 * 4) {
                double ccw = av_display_rotation_get(new IntPointer(sd.data()));
                if (Double.isFinite(ccw)) {
                    return quarterTurns(-ccw);
                }
            }
        }
        if (st.metadata() != null) {
            AVDictionaryEntry e = av_dict_get(st.metadata(), "rotate", null, 0);
            if (e != null && e.value() != null) {
                try {
                    return quarterTurns(Double.parseDouble(e.value().getString().trim()));
                } catch (NumberFormatException ignored) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** Whether the codec parameters carry a display matrix (which a stream copy keeps, unlike a tag). */
    static boolean hasDisplayMatrix(AVCodecParameters par) {
        if (par.nb_coded_side_data() <= 0) {
            return false;
        }
        AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(),
                AV_PKT_DATA_DISPLAYMATRIX);
        return sd != null && !sd.isNull();
    }

    /** Degrees to 0, 90, 180 or 270, rounding to the nearest quarter turn. */
    static int quarterTurns(double degrees) {
        long quarter = Math.round(degrees / 90.0);
        return (int) (((quarter % 4) + 4) % 4) * 90;
    }

    private static String fieldOrder(int order) {
        if (order == AV_FIELD_PROGRESSIVE) {
            return "progressive";
        } else if (order == AV_FIELD_TT) {
            return "tt";
        } else if (order == AV_FIELD_BB) {
            return "bb";
        } else if (order == AV_FIELD_TB) {
            return "tb";
        } else if (order == AV_FIELD_BT) {
            return "bt";
        }
        return null;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%d sar %d:%d rotation %d %s", storedWidth, storedHeight, sarNum,
                sarDen, rotation, fieldOrder);
    }
}
