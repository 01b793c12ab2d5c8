package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MOV_TEXT;
import static org.bytedeco.ffmpeg.global.avcodec.SUBTITLE_ASS;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_encode_subtitle;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avsubtitle_free;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_DEFAULT;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_FORCED;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strdup;

import dev.framewright.events.FailureCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVSubtitle;
import org.bytedeco.ffmpeg.avcodec.AVSubtitleRect;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Adds the input's text subtitle tracks to a finished MP4 as {@code mov_text} (3GPP timed text, what MP4 players and
 * the {@code <video>} element of Safari read): the file is remuxed once, its own streams copied packet for packet,
 * with one timed-text track per subtitle stream, encoded by libavcodec's {@code mov_text} encoder from the cues. A
 * remux costs about the time of reading and writing the file, and works the same after an encode and a stream copy.
 */
final class SubtitleMux {

    /** The ASS header the encoder reads its default style from (the cues carry no styling of their own). */
    static final String ASS_HEADER = """
            [Script Info]
            ScriptType: v4.00+
            PlayResX: 384
            PlayResY: 288

            [V4+ Styles]
            Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, \
            Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, \
            MarginL, MarginR, MarginV, Encoding
            Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
            """;
    private static final AVRational MILLISECONDS = av_make_q(1, 1000);
    private static final AVRational MICROSECONDS = av_make_q(1, 1_000_000);
    private static final int BUFFER = 64 * 1024;

    private SubtitleMux() {
    }

    /** One encoded cue: output stream, start and duration in ms. */
    private record Sample(int stream, long startMs, long durationMs, byte[] data) {
    }

    /**
     * The cues of a track in output time: shifted by the trim's start, cut to its length, and made sequential (a
     * timed-text track shows one sample at a time: a cue that overlaps the next ends where the next begins).
     */
    static List<Captions.Cue> inWindow(List<Captions.Cue> cues, OutputPlans.Window window) {
        double length = window.length();
        List<Captions.Cue> out = new ArrayList<>();
        for (Captions.Cue c : cues) {
            double s = Math.max(0, c.start() - window.start());
            double e = Math.min(length, c.end() - window.start());
            if (e - s >= 0.001) {
                out.add(new Captions.Cue(s, e, c.text()));
            }
        }
        out.sort(Comparator.comparingDouble(Captions.Cue::start));
        for (int i = out.size() - 2; i >= 0; i--) {
            Captions.Cue c = out.get(i);
            double next = out.get(i + 1).start();
            if (c.end() > next) {
                if (next - c.start() < 0.001) {
                    out.remove(i);
                } else {
                    out.set(i, new Captions.Cue(c.start(), next, c.text()));
                }
            }
        }
        return out;
    }

    /** Remuxes {@code file} (an MP4) with a mov_text track per track; nothing to do without tracks. */
    static void addMovText(Path file, List<Captions.Track> tracks, OutputPlans.Window window) throws MediaException {
        if (tracks.isEmpty()) {
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".subs");
        FFmpegFrameGrabber in = FFmpegSupport.open(file, null);
        AVFormatContext out = new AVFormatContext(null);
        AVDictionary options = new AVDictionary(null);
        List<AVCodecContext> encoders = new ArrayList<>();
        try {
            AVFormatContext ic = in.getFormatContext();
            check(avformat_alloc_output_context2(out, null, "mp4", tmp.toString()), "create");
            for (int i = 0; i < ic.nb_streams(); i++) {
                AVStream is = ic.streams(i);
                AVStream os = avformat_new_stream(out, null);
                check(avcodec_parameters_copy(os.codecpar(), is.codecpar()), "copy the parameters of");
                os.codecpar().codec_tag(0);
                os.time_base(is.time_base());
                os.disposition(is.disposition());
                AVDictionary md = new AVDictionary(null);
                av_dict_copy(md, is.metadata(), 0);
                os.metadata(md);
            }
            List<Sample> samples = new ArrayList<>();
            for (Captions.Track t : tracks) {
                AVCodec encoder = avcodec_find_encoder(AV_CODEC_ID_MOV_TEXT);
                if (encoder == null) {
                    throw new MediaException(FailureCode.INTERNAL, "the FFmpeg build has no mov_text encoder");
                }
                AVCodecContext ctx = avcodec_alloc_context3(encoder);
                encoders.add(ctx);
                ctx.time_base(MILLISECONDS);
                BytePointer header = strdup(ASS_HEADER);
                ctx.subtitle_header(header);
                ctx.subtitle_header_size(ASS_HEADER.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                check(avcodec_open2(ctx, encoder, (AVDictionary) null), "open the mov_text encoder for");
                AVStream os = avformat_new_stream(out, null);
                check(avcodec_parameters_from_context(os.codecpar(), ctx), "describe the subtitles of");
                os.time_base(MILLISECONDS);
                AVDictionary md = new AVDictionary(null);
                if (t.language() != null) {
                    av_dict_set(md, "language", t.language(), 0);
                }
                if (t.title() != null) {
                    av_dict_set(md, "title", t.title(), 0);
                }
                os.metadata(md);
                os.disposition((t.isDefault() ? AV_DISPOSITION_DEFAULT : 0) | (t.forced() ? AV_DISPOSITION_FORCED
                        : 0));
                for (Captions.Cue c : inWindow(t.cues(), window)) {
                    long startMs = Math.round(c.start() * 1000);
                    long durationMs = Math.max(1, Math.round(c.end() * 1000) - startMs);
                    samples.add(new Sample(os.index(), startMs, durationMs, encode(ctx, c, startMs, durationMs)));
                }
            }
            samples.sort(Comparator.comparingLong(Sample::startMs));
            AVIOContext pb = new AVIOContext(null);
            check(avio_open(pb, tmp.toString(), AVIO_FLAG_WRITE), "write");
            out.pb(pb);
            av_dict_set(options, "movflags", "+faststart", 0);
            check(avformat_write_header(out, options), "write the header of");
            ArrayDeque<Sample> pending = new ArrayDeque<>(samples);
            long start = FFmpegSupport.startMicros(in);
            AVPacket pkt;
            while ((pkt = in.grabPacket()) != null) {
                AVStream is = ic.streams(pkt.stream_index());
                long offset = av_rescale_q(start, MICROSECONDS, is.time_base());
                long ts = pkt.dts() != AV_NOPTS_VALUE ? pkt.dts() : pkt.pts();
                double seconds = ts == AV_NOPTS_VALUE ? 0 : (ts - offset) * av_q2d(is.time_base());
                while (!pending.isEmpty() && pending.peek().startMs() <= seconds * 1000) {
                    write(out, pending.poll());
                }
                av_packet_rescale_ts(pkt, is.time_base(), out.streams(pkt.stream_index()).time_base());
                pkt.pos(-1);
                check(av_interleaved_write_frame(out, pkt), "write");
            }
            while (!pending.isEmpty()) {
                write(out, pending.poll());
            }
            check(av_write_trailer(out), "finish");
        } catch (FrameGrabber.Exception e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot read back " + file.getFileName(), e);
        } finally {
            av_dict_free(options);
            encoders.forEach(c -> avcodec_free_context(c));
            if (out.pb() != null) {
                avio_closep(out.pb());
            }
            if (!out.isNull()) {
                avformat_free_context(out);
            }
            FFmpegSupport.closeQuietly(in);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot replace " + file.getFileName(), e);
        }
    }

    /** One cue through the mov_text encoder, as an ASS dialogue line in the Default style. */
    private static byte[] encode(AVCodecContext ctx, Captions.Cue cue, long startMs, long durationMs)
            throws MediaException {
        String text = cue.text().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                .replace("\n", "\\N");
        AVSubtitle sub = new AVSubtitle();
        BytePointer buf = new BytePointer(BUFFER);
        try {
            Pointer rects = av_mallocz(Pointer.sizeof(PointerPointer.class));
            AVSubtitleRect rect = new AVSubtitleRect(av_mallocz(Pointer.sizeof(AVSubtitleRect.class)));
            rect.type(SUBTITLE_ASS);
            rect.ass(strdup("0,0,Default,,0,0,0,," + text));
            sub.rects(new PointerPointer<>(rects));
            sub.rects(0, rect);
            sub.num_rects(1);
            sub.pts(startMs * 1000);
            sub.start_display_time(0);
            sub.end_display_time((int) durationMs);
            int n = avcodec_encode_subtitle(ctx, buf, BUFFER, sub);
            check(n, "encode a cue of");
            byte[] data = new byte[n];
            buf.get(data, 0, n);
            return data;
        } finally {
            avsubtitle_free(sub);
            buf.close();
        }
    }

    private static void write(AVFormatContext out, Sample s) throws MediaException {
        AVPacket pkt = av_packet_alloc();
        try {
            check(av_new_packet(pkt, s.data().length), "allocate a cue of");
            pkt.data().put(s.data(), 0, s.data().length);
            pkt.stream_index(s.stream());
            pkt.pts(s.startMs());
            pkt.dts(s.startMs());
            pkt.duration(s.durationMs());
            av_packet_rescale_ts(pkt, MILLISECONDS, out.streams(s.stream()).time_base());
            check(av_interleaved_write_frame(out, pkt), "write a cue of");
        } finally {
            av_packet_unref(pkt);
            av_packet_free(pkt);
        }
    }

    /** A copy in av_malloc'ed memory, UTF-8, which FFmpeg frees with the structure that holds it. */
    private static BytePointer strdup(String s) {
        try (BytePointer utf8 = new BytePointer(s, java.nio.charset.StandardCharsets.UTF_8)) {
            return av_strdup(utf8);
        }
    }

    private static void check(int ret, String what) throws MediaException {
        if (ret < 0) {
            throw new MediaException(FailureCode.INTERNAL, "subtitle tracks: cannot " + what + " the output (error "
                    + ret + ")");
        }
    }
}
