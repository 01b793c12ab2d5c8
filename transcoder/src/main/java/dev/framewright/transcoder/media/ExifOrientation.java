package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * The EXIF Orientation of a still JPEG (a phone photo stored landscape and tagged "turn 90° to show"), given to the
 * opened input's video stream as its {@code rotate} tag, so the probe and every output turn it like a video's display
 * matrix ({@link PictureGeometry#rotation}).
 *
 * <p>Why read it here: FFmpeg 8's MJPEG decoder turns the tag into display-matrix side data of each <em>decoded
 * frame</em> ({@code ff_exif_attach_buffer}), but the {@code image2}/{@code jpeg_pipe} demuxer puts nothing on the
 * stream, and the geometry, the probe and the filter chains are all decided from the stream before anything is
 * decoded. The tag is a few bytes in the APP1 segment right after the start of the file: read at most
 * {@link #MAX_HEADER_BYTES}, stopping at the first scan.
 *
 * <p>Rules: values 1-8 of TIFF tag 0x0112 in IFD0 of an {@code Exif\0\0} APP1 segment, little or big endian; 3 is
 * 180°, 6 is 90° and 8 is 270° clockwise; the mirrored values are shown unmirrored, as a mirrored display matrix is
 * (2 as 1, 4 as 3, 5 as 6, 7 as 8); anything else, or a stream that already says how to turn, is left alone.
 */
final class ExifOrientation {

    static final int MAX_HEADER_BYTES = 256 * 1024;

    private ExifOrientation() {
    }

    /** Tags the grabber's video stream with the JPEG file's EXIF rotation, when it has one and nothing else says. */
    static void apply(FFmpegFrameGrabber grabber, Path file) {
        AVFormatContext oc = grabber.getFormatContext();
        int index = grabber.getVideoStream();
        if (oc == null || index < 0 || index >= oc.nb_streams() || !FFmpegSupport.isStillImage(grabber)) {
            return;
        }
        AVStream st = oc.streams(index);
        if (st.codecpar().codec_id() != AV_CODEC_ID_MJPEG || PictureGeometry.hasDisplayMatrix(st.codecpar())
                || (st.metadata() != null && av_dict_get(st.metadata(), "rotate", null, 0) != null)) {
            return;
        }
        int clockwise = rotation(file);
        if (clockwise == 0) {
            return;
        }
        PointerPointer<AVDictionary> dict = new PointerPointer<>(1);
        dict.put(0, st.metadata());
        try (BytePointer key = new BytePointer("rotate");
                BytePointer value = new BytePointer(Integer.toString(clockwise))) {
            av_dict_set(dict, key, value, 0);
        }
        st.metadata(new AVDictionary(dict.get(0)));
    }

    /** Clockwise degrees from the file's EXIF Orientation (0, 90, 180, 270); 0 when it has none. */
    static int rotation(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MAX_HEADER_BYTES);
        } catch (IOException e) {
            return 0;
        }
        return switch (orientation(head)) {
            case 3, 4 -> 180;
            case 5, 6 -> 90;
            case 7, 8 -> 270;
            default -> 0;
        };
    }

    /** The Orientation value (1-8) of a JPEG's first bytes, 0 when there is none. */
    static int orientation(byte[] b) {
        if (b.length < 4 || u8(b, 0) != 0xFF || u8(b, 1) != 0xD8) {
            return 0;
        }
        int p = 2;
        while (p + 4 <= b.length) {
            if (u8(b, p) != 0xFF) {
                return 0;
            }
            int marker = u8(b, p + 1);
            if (marker == 0xFF) {
                p++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return 0; // start of scan, end of image: no more metadata
            }
            int length = u16(b, p + 2, false);
            int body = p + 4;
            if (length < 2 || body + length - 2 > b.length) {
                return 0;
            }
            if (marker == 0xE1 && length >= 8 && u8(b, body) == 'E' && u8(b, body + 1) == 'x'
                    && u8(b, body + 2) == 'i' && u8(b, body + 3) == 'f' && u8(b, body + 4) == 0
                    && u8(b, body + 5) == 0) {
                return tiffOrientation(b, body + 6, body + length - 2);
            }
            p = body + length - 2;
        }
        return 0;
    }

    /** Tag 0x0112 of IFD0 of the TIFF structure in {@code b[start, end)}. */
    private static int tiffOrientation(byte[] b, int start, int end) {
        if (end - start < 8) {
            return 0;
        }
        boolean little;
        if (u8(b, start) == 'I' && u8(b, start + 1) == 'I') {
            little = true;
        } else if (u8(b, start) == 'M' && u8(b, start + 1) == 'M') {
            little = false;
        } else {
            return 0;
        }
        if (u16(b, start + 2, little) != 42) {
            return 0;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || start + ifd + 2 > end) {
            return 0;
        }
        int at = (int) (start + ifd);
        int entries = u16(b, at, little);
        for (int i = 0; i < entries; i++) {
            int e = at + 2 + 12 * i;
            if (e + 12 > end) {
                return 0;
            }
            if (u16(b, e, little) == 0x0112 && u16(b, e + 2, little) == 3) { // SHORT
                int value = u16(b, e + 8, little);
                return value >= 1 && value <= 8 ? value : 0;
            }
        }
        return 0;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? u8(b, i) | u8(b, i + 1) << 8 : u8(b, i) << 8 | u8(b, i + 1);
    }

    private static long u32(byte[] b, int i, boolean little) {
        return little ? (u16(b, i, true) | (long) u16(b, i + 2, true) << 16)
                : ((long) u16(b, i, false) << 16 | u16(b, i + 2, false));
    }
}
