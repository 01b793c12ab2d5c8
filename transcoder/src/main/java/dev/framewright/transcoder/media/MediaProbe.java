package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_PROP_BITMAP_SUB;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_PROP_TEXT_SUB;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_descriptor_get;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_DEFAULT;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_FORCED;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_ATTACHMENT;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;

import dev.framewright.events.FailureCode;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.StreamInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** Describes a media file as FFmpeg decodes it. */
public final class MediaProbe {

    static {
        FFmpegSupport.init();
    }

    private MediaProbe() {
    }

    /**
     * @return every {@link MediaInfo} field that applies to the file, with the overall bit rate and every stream of
     *         the container (a still image has no duration or frame rate; a file without audio has no audio fields)
     * @throws MediaException {@code INPUT_MISSING} if the file does not exist; {@code UNSUPPORTED_MEDIA} if FFmpeg
     *                        cannot open it or it has neither video nor audio
     */
    public static MediaInfo probe(Path file) throws MediaException {
        FFmpegFrameGrabber grabber = FFmpegSupport.open(file, null);
        try {
            MediaInfo summary = describe(grabber, file);
            AVFormatContext oc = grabber.getFormatContext();
            boolean still = summary.width() != null && FFmpegSupport.isStillImage(grabber);
            Long bitRate = oc.bit_rate() > 0 ? oc.bit_rate() : null;
            List<StreamInfo> streams = streams(oc, still);
            Integer width = summary.width();
            Integer height = summary.height();
            String videoCodec = summary.videoCodec();
            Double frameRate = summary.frameRate();
            String audioCodec = summary.audioCodec();
            Integer sampleRate = summary.audioSampleRate();
            Integer channels = summary.audioChannels();
            // JavaCV prefers a stream whose disposition is exactly 0 over one flagged "default"; the summary
            // describes the first video (not cover art) and the first audio stream of the file
            StreamInfo video = firstVideo(oc, streams);
            Integer rotation = null;
            if (video != null && video.index() != grabber.getVideoStream() && video.width() != null) {
                width = video.displayWidth();
                height = video.displayHeight();
                videoCodec = video.codec();
                frameRate = video.frameRate();
                rotation = video.rotation();
            } else if (width != null) {
                rotation = PictureGeometry.of(grabber).rotation();
            }
            StreamInfo audio = streams.stream().filter(s -> s.kind().equals("audio")).findFirst().orElse(null);
            if (audio != null && audio.index() != grabber.getAudioStream()) {
                audioCodec = audio.codec();
                sampleRate = audio.sampleRate();
                channels = audio.channels();
            }
            return new MediaInfo(summary.format(), summary.durationSeconds(), width, height, videoCodec, frameRate,
                    audioCodec, sampleRate, channels, bitRate, streams, rotation);
        } finally {
            FFmpegSupport.closeQuietly(grabber);
        }
    }

    static MediaInfo describe(FFmpegFrameGrabber grabber, Path file) throws MediaException {
        boolean video = grabber.hasVideo() && grabber.getImageWidth() > 0 && grabber.getImageHeight() > 0;
        boolean audio = grabber.hasAudio();
        if (!video && !audio) {
            throw new MediaException(FailureCode.UNSUPPORTED_MEDIA,
                    file.getFileName() + " has neither a video nor an audio stream");
        }
        boolean still = video && FFmpegSupport.isStillImage(grabber);
        long durationUs = FFmpegSupport.durationMicros(grabber);
        Double duration = !still && durationUs > 0 ? durationUs / 1_000_000.0 : null;

        Integer width = null;
        Integer height = null;
        String videoCodec = null;
        Double frameRate = null;
        if (video) {
            PictureGeometry geometry = PictureGeometry.of(grabber);
            width = geometry.storedWidth() > 0 ? geometry.displayWidth() : grabber.getImageWidth();
            height = geometry.storedHeight() > 0 ? geometry.displayHeight() : grabber.getImageHeight();
            videoCodec = FFmpegSupport.codecName(grabber.getVideoCodec());
            double fps = grabber.getVideoFrameRate();
            if (!still && fps > 0 && Double.isFinite(fps)) {
                frameRate = fps;
            }
        }
        String audioCodec = null;
        Integer sampleRate = null;
        Integer channels = null;
        if (audio) {
            audioCodec = FFmpegSupport.codecName(grabber.getAudioCodec());
            sampleRate = grabber.getSampleRate() > 0 ? grabber.getSampleRate() : null;
            channels = grabber.getAudioChannels() > 0 ? grabber.getAudioChannels() : null;
        }
        return MediaInfo.summary(grabber.getFormat(), duration, width, height, videoCodec, frameRate, audioCodec,
                sampleRate, channels);
    }

    /** Every stream of the container in file order, as its codec parameters and the container describe it. */
    static List<StreamInfo> streams(AVFormatContext oc, boolean stillImage) {
        List<StreamInfo> streams = new ArrayList<>(oc.nb_streams());
        for (int i = 0; i < oc.nb_streams(); i++) {
            AVStream st = oc.streams(i);
            AVCodecParameters par = st.codecpar();
            int type = par.codec_type();
            boolean attachedPic = (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0;
            boolean timeless = stillImage || attachedPic;
            String codec = par.codec_id() == 0 ? null : FFmpegSupport.codecName(par.codec_id());
            Integer width = null;
            Integer height = null;
            Double frameRate = null;
            Integer sampleRate = null;
            Integer channels = null;
            PictureGeometry geometry = null;
            PictureColour colour = null;
            if (type == AVMEDIA_TYPE_VIDEO) {
                width = par.width() > 0 ? par.width() : null;
                height = par.height() > 0 ? par.height() : null;
                if (width != null && height != null) {
                    geometry = PictureGeometry.of(oc, st);
                    colour = PictureColour.declared(par); // as declared: the probe reports, the pipeline decides
                }
                if (!timeless) {
                    frameRate = rate(st.avg_frame_rate());
                    if (frameRate == null) {
                        frameRate = rate(st.r_frame_rate());
                    }
                }
            } else if (type == AVMEDIA_TYPE_AUDIO) {
                sampleRate = par.sample_rate() > 0 ? par.sample_rate() : null;
                int nb = par.ch_layout().nb_channels();
                channels = nb > 0 ? nb : null;
            }
            Long bitRate = par.bit_rate() > 0 ? par.bit_rate() : null;
            Double duration = null;
            if (!timeless && st.duration() != AV_NOPTS_VALUE && st.duration() > 0) {
                AVRational tb = st.time_base();
                if (tb.num() > 0 && tb.den() > 0) {
                    duration = st.duration() * (double) tb.num() / tb.den();
                }
            }
            if (type == AVMEDIA_TYPE_SUBTITLE) {
                streams.add(new StreamInfo(st.index(), kind(type), codec, null, null, null, null, null, bitRate,
                        duration, language(st), null, null, null, null, null, null, null, null, null, tag(st, "title"),
                        (st.disposition() & AV_DISPOSITION_DEFAULT) != 0,
                        (st.disposition() & AV_DISPOSITION_FORCED) != 0, subtitleType(par.codec_id())));
                continue;
            }
            streams.add(geometry == null
                    ? new StreamInfo(st.index(), kind(type), codec, width, height, frameRate, sampleRate, channels,
                            bitRate, duration, language(st))
                    : new StreamInfo(st.index(), kind(type), codec, width, height, frameRate, sampleRate, channels,
                            bitRate, duration, language(st), geometry.displayWidth(), geometry.displayHeight(),
                            geometry.rotation(), geometry.sampleAspectRatio(), geometry.fieldOrder(),
                            colour.primariesName(), colour.transferName(), colour.matrixName(), colour.rangeName()));
        }
        return List.copyOf(streams);
    }

    /** The first video stream that is not an attached picture, else the first video stream. */
    private static StreamInfo firstVideo(AVFormatContext oc, List<StreamInfo> streams) {
        StreamInfo any = null;
        for (StreamInfo s : streams) {
            if (s.kind().equals("video")) {
                if ((oc.streams(s.index()).disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
                    return s;
                }
                any = any == null ? s : any;
            }
        }
        return any;
    }

    private static String kind(int type) {
        if (type == AVMEDIA_TYPE_VIDEO) {
            return "video";
        } else if (type == AVMEDIA_TYPE_AUDIO) {
            return "audio";
        } else if (type == AVMEDIA_TYPE_SUBTITLE) {
            return "subtitle";
        } else if (type == AVMEDIA_TYPE_ATTACHMENT) {
            return "attachment";
        }
        return "data"; // AVMEDIA_TYPE_DATA, and unknown streams carry opaque data as far as we are concerned
    }

    private static Double rate(AVRational r) {
        if (r == null || r.num() <= 0 || r.den() <= 0) {
            return null;
        }
        double fps = (double) r.num() / r.den();
        // demuxers report 90000 / 1200000-style tick rates when they do not know better; not a frame rate
        return fps > 0 && fps < 1000 ? fps : null;
    }

    /** The stream's ISO 639 language tag; "und" (undetermined, what muxers write by default) is no tag. */
    static String language(AVStream st) {
        String lang = tag(st, "language");
        return lang == null || lang.toLowerCase(Locale.ROOT).equals("und") ? null : lang;
    }

    /** A metadata tag of the stream, trimmed; null when absent or blank. */
    static String tag(AVStream st, String key) {
        if (st.metadata() == null) {
            return null;
        }
        AVDictionaryEntry e = av_dict_get(st.metadata(), key, null, 0);
        if (e == null || e.value() == null) {
            return null;
        }
        String value = e.value().getString(java.nio.charset.StandardCharsets.UTF_8).trim();
        return value.isEmpty() ? null : value;
    }

    /**
     * {@code text} or {@code bitmap} by the codec's own properties (libavcodec's descriptor), null when it says
     * neither. A codec that is both (DVB teletext, which renders pages as pictures) counts as bitmap.
     */
    static String subtitleType(int codecId) {
        AVCodecDescriptor d = avcodec_descriptor_get(codecId);
        if (d == null) {
            return null;
        }
        if ((d.props() & AV_CODEC_PROP_BITMAP_SUB) != 0) {
            return StreamInfo.BITMAP;
        }
        return (d.props() & AV_CODEC_PROP_TEXT_SUB) != 0 ? StreamInfo.TEXT : null;
    }
}
