package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import dev.framewright.events.FailureCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/** Shared FFmpeg plumbing of this package. */
final class FFmpegSupport {

    static {
        // FFmpeg logs to stderr at INFO by default (stream dumps, encoder banners): keep only real errors.
        av_log_set_level(AV_LOG_ERROR);
    }

    private FFmpegSupport() {
    }

    /** Loads the natives and applies the log level; cheap after the first call. */
    static void init() {
        // the static initializer does the work
    }

    static boolean hasEncoder(String name) {
        return avcodec_find_encoder_by_name(name) != null;
    }

    /**
     * Demuxers an input may be opened with: containers, raw streams and single images. Playlist and script demuxers
     * (hls, dash, concat, ffconcat, image sequences by glob) are not on it: they open other files or URLs named
     * inside the input, which would let an upload read the worker's disk or reach its network. The names are
     * checked against the FFmpeg build by a test.
     */
    static final String SAFE_DEMUXERS = String.join(",", "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska",
            "webm", "avi", "asf", "mpegts", "mpeg", "mpegvideo", "m4v", "h264", "hevc", "ivf", "flv", "ogg", "mp3",
            "wav", "w64", "aiff", "caf", "flac", "aac", "ac3", "eac3", "image2", "png_pipe", "jpeg_pipe",
            "webp_pipe", "bmp_pipe", "tiff_pipe", "gif", "apng");

    /** Only local files: no http, tcp, udp, concat, subfile, crypto, data or pipe protocols. */
    static final String SAFE_PROTOCOLS = "file";

    /**
     * Opens and starts a grabber on a local file, refusing hostile inputs: only {@link #SAFE_DEMUXERS} over the
     * {@code file} protocol, and nothing beyond {@link InputLimits#active()} (checked on headers, before decoding).
     *
     * @param configure called before {@code start()} (pixel format etc.), may be null
     */
    static FFmpegFrameGrabber open(Path file, Consumer<FFmpegFrameGrabber> configure) throws MediaException {
        if (file == null || !Files.isRegularFile(file)) {
            throw new MediaException(FailureCode.INPUT_MISSING, "input file not found: " + file);
        }
        InputLimits limits = InputLimits.active();
        limits.checkFile(file);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        if (configure != null) {
            configure.accept(grabber);
        }
        // avformat_open_input applies these to the format context, and nested inputs inherit them.
        grabber.setOption("format_whitelist", SAFE_DEMUXERS);
        grabber.setOption("protocol_whitelist", SAFE_PROTOCOLS);
        grabber.setOption("enable_drefs", "0"); // mov: never follow data references to other files
        // The decoder refuses frames beyond the limit even if a stream changes size mid-way.
        grabber.setVideoOption("max_pixels", Long.toString(
                Math.min(Integer.MAX_VALUE, Math.max(limits.maxVideoPixels(), limits.maxImagePixels()))));
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(grabber);
            throw new MediaException(FailureCode.UNSUPPORTED_MEDIA,
                    "FFmpeg cannot read " + file.getFileName() + " as audio, video or image media", e);
        }
        try {
            limits.checkOpened(grabber);
        } catch (MediaException e) {
            closeQuietly(grabber);
            throw e;
        }
        ExifOrientation.apply(grabber, file); // a phone photo's turn, as a video's display matrix
        return grabber;
    }

    /** Whether the opened input is a single still image (image2 / *_pipe demuxer, no audio). */
    static boolean isStillImage(FFmpegFrameGrabber grabber) {
        String format = grabber.getFormat();
        if (format == null || grabber.hasAudio()) {
            return false;
        }
        String f = format.toLowerCase(Locale.ROOT);
        return f.equals("image2") || f.endsWith("_pipe");
    }

    /** Whether the chosen video stream is only an attached picture (cover art of an audio file). */
    static boolean isAttachedPicture(FFmpegFrameGrabber grabber) {
        AVFormatContext oc = grabber.getFormatContext();
        int index = grabber.getVideoStream();
        if (oc == null || index < 0 || index >= oc.nb_streams()) {
            return false;
        }
        AVStream st = oc.streams(index);
        return st != null && (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0;
    }

    /** Whether the opened input's video stream is coded in {@code pixelFormat} (what its decoder will output). */
    static boolean decodesTo(FFmpegFrameGrabber grabber, int pixelFormat) {
        AVFormatContext oc = grabber.getFormatContext();
        int index = grabber.getVideoStream();
        return oc != null && index >= 0 && index < oc.nb_streams()
                && oc.streams(index).codecpar().format() == pixelFormat;
    }

    /** Media duration in microseconds, or -1 when unknown. */
    static long durationMicros(FFmpegFrameGrabber grabber) {
        AVFormatContext oc = grabber.getFormatContext();
        if (oc == null || oc.duration() == AV_NOPTS_VALUE || oc.duration() <= 0) {
            return -1;
        }
        return grabber.getLengthInTime();
    }

    /** Container start time in microseconds (0 when unknown); frame timestamps are relative to this. */
    static long startMicros(FFmpegFrameGrabber grabber) {
        AVFormatContext oc = grabber.getFormatContext();
        if (oc == null || oc.start_time() == AV_NOPTS_VALUE) {
            return 0;
        }
        return oc.start_time(); // AV_TIME_BASE is 1_000_000
    }

    static String codecName(int codecId) {
        BytePointer name = avcodec_get_name(codecId);
        return name == null ? null : name.getString();
    }

    static void closeQuietly(FrameGrabber grabber) {
        if (grabber == null) {
            return;
        }
        try {
            grabber.close();
        } catch (Exception | Error ignored) {
            // nothing useful to do
        }
    }

    static void closeQuietly(FrameRecorder recorder) {
        if (recorder == null) {
            return;
        }
        try {
            recorder.close();
        } catch (Exception | Error ignored) {
            // nothing useful to do
        }
    }
}
