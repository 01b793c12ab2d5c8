package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import dev.framewright.events.Container;
import dev.framewright.events.FailureCode;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.StreamInfo;
import dev.framewright.events.VideoOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * A {@code video} output that asks for nothing the source does not already have is a stream copy, as
 * {@code ffmpeg -c copy} does: the source's packets go into the new container as they are. No decode, no encode, no
 * generation loss, and it takes the time of reading and writing the file.
 *
 * <p>"Nothing the source does not have" means: the container's codecs (MP4: H.264 in 8-bit 4:2:0 with AAC of at most
 * two channels; WebM: VP9 in 8-bit 4:2:0 with Opus), square pixels, progressive pictures, no size (as displayed) or
 * frame rate other than the source's own, no crf or bitrate (which ask for an encode at that quality), no trim and no
 * overlay. A source shown rotated is copied with its display matrix, so it plays upright as the source does; one
 * asked for another size is encoded upright instead. Only the chosen video stream and, unless
 * {@code audio} is false, the chosen audio stream are copied; data and subtitle streams are left out, as they are
 * on the encode path.
 */
final class StreamCopy {

    /** Report progress every this many packets (about 1-2 s of a 30 fps clip with audio). */
    private static final int PROGRESS_EVERY_PACKETS = 100;
    private static final AVRational MICROSECONDS = av_make_q(1, 1_000_000);

    private StreamCopy() {
    }

    /** Whether {@code spec} can be served by copying the packets of the opened input. */
    static boolean fits(VideoOutput spec, OutputPlans.VideoPlan plan, OutputPlans.Source src,
            PictureGeometry geometry, PictureColour colour, FFmpegFrameGrabber input) {
        if (spec.crf() != null || spec.bitrateKbps() != null || plan.overlay() != null || spec.start() != null
                && spec.start() > 0 || spec.duration() != null && spec.duration() < src.end()) {
            return false;
        }
        boolean squarePixels = src.sampleAspect() <= 0 || Math.abs(src.sampleAspect() - 1) < 1e-6;
        // interlaced pictures are woven fields that combs on every progressive screen: deinterlace them
        if (!squarePixels || !geometry.squarePixels() || geometry.interlaced() || plan.size().width() != src.width() || plan.size().height() != src.height()) {
            return false;
        }
        if (spec.fps() != null && Math.abs(spec.fps() - src.fps()) > 0.01) {
            return false;
        }
        AVCodecParameters video = codecpar(input, input.getVideoStream());
        if (video == null || (video.format() != AV_PIX_FMT_YUV420P && video.format() != AV_PIX_FMT_YUVJ420P)) {
            return false;
        }
        if (colour.needsConversion()) {
            return false; // HDR or wide gamut (an 8-bit H.264/VP9 output is SDR BT.709): encode it converted
        }
        if (geometry.rotation() != 0 && !PictureGeometry.hasDisplayMatrix(video)) {
            return false; // turned by a legacy rotate tag only, which the copy would not carry: encode it upright
        }
        boolean mp4 = plan.container() == Container.MP4;
        if (video.codec_id() != (mp4 ? AV_CODEC_ID_H264 : AV_CODEC_ID_VP9)) {
            return false;
        }
        if (!plan.audio()) {
            return true;
        }
        AVCodecParameters audio = codecpar(input, input.getAudioStream());
        return audio != null && audio.codec_id() == (mp4 ? AV_CODEC_ID_AAC : AV_CODEC_ID_OPUS)
                && audio.ch_layout().nb_channels() <= 2;
    }

    /**
     * Copies the packets of {@code input} (opened, nothing read yet) into {@code file}.
     *
     * @param progress called with the media seconds copied so far
     */
    static void copy(FFmpegFrameGrabber input, OutputPlans.VideoPlan plan, Path file, ProgressListener progress)
            throws MediaException {
        AVFormatContext in = input.getFormatContext();
        int videoIndex = input.getVideoStream();
        int audioIndex = plan.audio() ? input.getAudioStream() : -1;
        int[] outIndex = new int[in.nb_streams()];
        Arrays.fill(outIndex, -1);
        boolean mp4 = plan.container() == Container.MP4;
        AVFormatContext out = new AVFormatContext(null);
        AVDictionary options = new AVDictionary(null);
        try {
            check(avformat_alloc_output_context2(out, null, mp4 ? "mp4" : "webm", file.toString()), "create");
            int next = 0;
            for (int i : new int[] {videoIndex, audioIndex}) {
                if (i < 0) {
                    continue;
                }
                AVStream is = in.streams(i);
                AVStream os = avformat_new_stream(out, null);
                check(avcodec_parameters_copy(os.codecpar(), is.codecpar()), "copy the parameters of");
                os.codecpar().codec_tag(0); // let the muxer pick the tag its container uses
                os.time_base(is.time_base());
                os.disposition(is.disposition());
                outIndex[i] = next++;
            }
            if ((out.oformat().flags() & AVFMT_NOFILE) == 0) {
                AVIOContext pb = new AVIOContext(null);
                check(avio_open(pb, file.toString(), AVIO_FLAG_WRITE), "write");
                out.pb(pb);
            }
            if (mp4) {
                av_dict_set(options, "movflags", "+faststart", 0); // the index first: plays while downloading
            }
            check(avformat_write_header(out, options), "write the header of");
            // Like ffmpeg without -copyts: the output starts where the input starts.
            long start = FFmpegSupport.startMicros(input);
            long packets = 0;
            AVPacket pkt;
            while ((pkt = input.grabPacket()) != null) {
                int target = pkt.stream_index() >= 0 && pkt.stream_index() < outIndex.length
                        ? outIndex[pkt.stream_index()] : -1;
                if (target < 0) {
                    av_packet_unref(pkt);
                    continue;
                }
                AVStream is = in.streams(pkt.stream_index());
                long offset = av_rescale_q(start, MICROSECONDS, is.time_base());
                if (pkt.pts() != AV_NOPTS_VALUE) {
                    pkt.pts(pkt.pts() - offset);
                }
                if (pkt.dts() != AV_NOPTS_VALUE) {
                    pkt.dts(pkt.dts() - offset);
                }
                double seconds = pkt.pts() == AV_NOPTS_VALUE ? -1 : pkt.pts() * av_q2d(is.time_base());
                av_packet_rescale_ts(pkt, is.time_base(), out.streams(target).time_base());
                pkt.stream_index(target);
                pkt.pos(-1);
                // takes the packet's reference, so the grabber's packet is blank again for the next read
                check(av_interleaved_write_frame(out, pkt), "write");
                if (++packets % PROGRESS_EVERY_PACKETS == 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("stream copy interrupted");
                    }
                    if (seconds >= 0) {
                        progress.onProgress(seconds, 0);
                    }
                }
            }
            check(av_write_trailer(out), "finish");
        } catch (FrameGrabber.Exception e) {
            throw new MediaException(FailureCode.UNSUPPORTED_MEDIA, "cannot read the input's packets", e);
        } finally {
            av_dict_free(options);
            if (out.pb() != null) {
                avio_closep(out.pb());
            }
            if (!out.isNull()) {
                avformat_free_context(out);
            }
        }
    }

    /**
     * What the copy holds, without reading it back: the copied streams are the input's, packet for packet, so their
     * codecs, sizes, rates and duration are the input's as probed; only the container and the stream numbers change.
     * Null when the input's stream list does not say enough (the caller then probes the file).
     */
    static MediaInfo describe(MediaInfo input, FFmpegFrameGrabber in, OutputPlans.VideoPlan plan, Path file) {
        if (input == null || input.streams() == null) {
            return null;
        }
        int videoIndex = in.getVideoStream();
        int audioIndex = plan.audio() ? in.getAudioStream() : -1;
        List<StreamInfo> streams = new ArrayList<>();
        for (int index : new int[] {videoIndex, audioIndex}) {
            if (index < 0) {
                continue;
            }
            StreamInfo s = input.streams().stream().filter(x -> x.index() == index).findFirst().orElse(null);
            if (s == null) {
                return null;
            }
            streams.add(new StreamInfo(streams.size(), s.kind(), s.codec(), s.width(), s.height(), s.frameRate(),
                    s.sampleRate(), s.channels(), s.bitRate(), s.durationSeconds(), s.language(), s.displayWidth(),
                    s.displayHeight(), s.rotation(), s.sampleAspectRatio(), s.fieldOrder(), s.colorPrimaries(),
                    s.colorTransfer(), s.colorSpace(), s.colorRange()));
        }
        Double duration = input.durationSeconds();
        Long bitRate = null;
        try {
            if (duration != null && duration > 0) {
                bitRate = Math.round(Files.size(file) * 8 / duration);
            }
        } catch (IOException e) {
            return null;
        }
        boolean audio = audioIndex >= 0;
        return new MediaInfo(plan.container() == Container.MP4 ? "mov,mp4,m4a,3gp,3g2,mj2" : "matroska,webm",
                duration, input.width(), input.height(), input.videoCodec(), input.frameRate(),
                audio ? input.audioCodec() : null, audio ? input.audioSampleRate() : null,
                audio ? input.audioChannels() : null, bitRate, List.copyOf(streams), input.rotation());
    }

    private static AVCodecParameters codecpar(FFmpegFrameGrabber input, int index) {
        AVFormatContext ic = input.getFormatContext();
        if (ic == null || index < 0 || index >= ic.nb_streams()) {
            return null;
        }
        return ic.streams(index).codecpar();
    }

    private static void check(int ret, String what) throws MediaException {
        if (ret < 0) {
            throw new MediaException(FailureCode.INTERNAL, "stream copy: cannot " + what + " the output (error "
                    + ret + ")");
        }
    }
}
