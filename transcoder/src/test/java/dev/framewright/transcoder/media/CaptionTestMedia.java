package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HDMV_PGS_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MOV_TEXT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_SUBRIP;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_decode_subtitle2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_encode_subtitle;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avsubtitle_free;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_DEFAULT;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_FORCED;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_strdup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVSubtitle;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Inputs with real embedded subtitles, muxed as {@code ffmpeg -i clip.mp4 -i en.srt -i fr.ass -c copy} would (the CLI
 * is not used, see {@link TestMedia}): the subtitle files are written as text here, read by FFmpeg's own srt and ass
 * demuxers, and their packets muxed beside {@link TestMedia#clip320WithAudio()}'s video and audio (3 s, 25 fps):
 * into Matroska as they are (subrip and ASS), into MP4 through the mov_text encoder (tx3g samples), as
 * {@code -c:s mov_text} does.
 */
final class CaptionTestMedia {

    /** The English cues of {@link #SRT}: start, end, text (WebVTT lines). */
    static final List<Object[]> ENGLISH = List.of(
            new Object[] {0.4, 1.0, "Hello there"},
            new Object[] {1.5, 2.25, "Two lines\nof text &amp; more"});
    static final String SRT = """
            1
            00:00:00,400 --> 00:00:01,000
            Hello there

            2
            00:00:01,500 --> 00:00:02,250
            <i>Two lines</i>
            of text & more

            """;

    /** The French cues of {@link #ASS}: ASS override tags and {@code \N} in the source. */
    static final List<Object[]> FRENCH = List.of(
            new Object[] {0.5, 1.2, "Bonjour le monde"},
            new Object[] {2.0, 2.8, "Deux lignes\nici"});
    static final String ASS = SubtitleMux.ASS_HEADER + """
            Dialogue: 0,0:00:00.50,0:00:01.20,Default,,0,0,0,,{\\i1}Bonjour{\\i0} le monde
            Dialogue: 0,0:00:02.00,0:00:02.80,Default,,0,0,0,,{\\pos(10,10)}Deux lignes\\Nici
            """;

    static {
        FFmpegSupport.init();
    }

    private static final Map<String, Path> CACHE = new HashMap<>();

    private CaptionTestMedia() {
    }

    /**
     * Matroska: H.264 + AAC, then subrip English (default, titled "English") and ASS French (forced), stream indexes
     * 2 and 3.
     */
    static synchronized Path mkvWithSrtAndAss() {
        return CACHE.computeIfAbsent("subs.mkv", n -> mux(n, "matroska", List.of(
                new Sub("en.srt", SRT, "eng", "English", AV_DISPOSITION_DEFAULT, Kind.COPY),
                new Sub("fr.ass", ASS, "fra", null, AV_DISPOSITION_FORCED, Kind.COPY))));
    }

    /** MP4: H.264 + AAC, then the English cues of {@link #SRT} as mov_text (stream index 2). */
    static synchronized Path mp4WithMovText() {
        return CACHE.computeIfAbsent("subs.mp4", n -> mux(n, "mp4", List.of(
                new Sub("en.srt", SRT, "eng", null, AV_DISPOSITION_DEFAULT, Kind.MOV_TEXT))));
    }

    /**
     * Matroska: H.264 + AAC, a Blu-ray PGS (bitmap) stream in German (index 2: its packets are empty display sets, a
     * picture is not needed to be listed and skipped), then subrip English (index 3).
     */
    static synchronized Path mkvWithBitmapAndSrt() {
        return CACHE.computeIfAbsent("pgs.mkv", n -> mux(n, "matroska", List.of(
                new Sub(null, null, "ger", null, 0, Kind.PGS),
                new Sub("en.srt", SRT, "eng", null, 0, Kind.COPY))));
    }

    /** The cues of {@link #VTT}: tags and cue settings in the source. */
    static final List<Object[]> SPANISH = List.of(
            new Object[] {0.3, 0.9, "Hola"},
            new Object[] {1.25, 2.5, "Palabras en negrita\ny otra"});
    static final String VTT = """
            WEBVTT

            00:00:00.300 --> 00:00:00.900 align:start
            Hola

            intro
            00:00:01.250 --> 00:00:02.500
            <b>Palabras</b> en <c.loud>negrita</c>
            y otra

            """;

    /** Matroska: H.264 + AAC and a WebVTT stream in Spanish (S_TEXT/WEBVTT, index 2). */
    static synchronized Path mkvWithWebVtt() {
        return CACHE.computeIfAbsent("vtt.mkv", n -> mux(n, "matroska", List.of(
                new Sub("es.vtt", VTT, "spa", null, 0, Kind.COPY))));
    }

    private enum Kind { COPY, MOV_TEXT, PGS }

    /**
     * Seconds from the file's start (its earliest packet) to its first picture: the cues were written on the clip's
     * picture timeline, so in the pipeline's timeline (which starts where the input starts) they are this much
     * later. Matroska has no negative times: the AAC priming (1024 samples before the first picture) shifts every
     * stream, cues included, by 21 ms; MP4 keeps it in an edit list (0 here).
     */
    static double videoStart(Path file) throws Exception {
        AVFormatContext ic = open(file);
        try {
            AVStream v = ic.streams(0);
            return v.start_time() * av_q2d(v.time_base()) - ic.start_time() / 1e6;
        } finally {
            avformat_close_input(ic);
        }
    }

    private record Sub(String file, String text, String language, String title, int disposition, Kind kind) {
    }

    /** A packet to write, its stream in the output and its time, for writing in time order. */
    private record Timed(AVPacket pkt, int stream, AVRational tb, double seconds) {
    }

    private static Path mux(String name, String format, List<Sub> subs) {
        return mux(name, format, subs, 1);
    }

    /**
     * A minute of the clip (20 copies of its packets, 3.1 s apart) in Matroska with {@code cues} English subrip
     * cues spread over it: the input of {@link CaptionsCostBench}.
     */
    static Path longMkv(int cues) {
        StringBuilder srt = new StringBuilder();
        double step = 62.0 / cues;
        for (int i = 0; i < cues; i++) {
            srt.append(i + 1).append('\n').append(srtTime(i * step)).append(" --> ").append(srtTime(i * step + step
                    * 0.8)).append('\n').append("Line ").append(i).append("\n\n");
        }
        return mux("long-" + cues + ".mkv", "matroska", List.of(
                new Sub("en.srt", srt.toString(), "eng", null, 0, Kind.COPY)), 20);
    }

    private static String srtTime(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(java.util.Locale.ROOT, "%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60,
                ms / 1000 % 60, ms % 1000);
    }

    private static Path mux(String name, String format, List<Sub> subs, int repeat) {
        Path out = TestMedia.output(name);
        List<AVFormatContext> inputs = new ArrayList<>();
        List<Timed> packets = new ArrayList<>();
        List<AVCodecContext> codecs = new ArrayList<>();
        AVFormatContext oc = new AVFormatContext(null);
        try {
            check(avformat_alloc_output_context2(oc, null, format, out.toString()), "create " + name);
            AVFormatContext clip = open(TestMedia.clip320WithAudio());
            inputs.add(clip);
            for (int i = 0; i < clip.nb_streams(); i++) {
                AVStream os = avformat_new_stream(oc, null);
                check(avcodec_parameters_copy(os.codecpar(), clip.streams(i).codecpar()), "copy");
                os.codecpar().codec_tag(0);
                os.time_base(clip.streams(i).time_base());
            }
            readAll(clip, 0, packets, 0);
            for (int r = 1; r < repeat; r++) {
                AVFormatContext again = open(TestMedia.clip320WithAudio());
                inputs.add(again);
                readAll(again, 0, packets, r * 3.1);
            }
            for (Sub s : subs) {
                AVStream os = avformat_new_stream(oc, null);
                int index = os.index();
                AVDictionary md = new AVDictionary(null);
                av_dict_set(md, "language", s.language(), 0);
                if (s.title() != null) {
                    av_dict_set(md, "title", s.title(), 0);
                }
                os.metadata(md);
                os.disposition(s.disposition());
                if (s.kind() == Kind.PGS) {
                    pgs(os, index, packets);
                    continue;
                }
                Path text = out.resolveSibling(name + "-" + s.file());
                Files.writeString(text, s.text(), StandardCharsets.UTF_8);
                AVFormatContext sc = open(text);
                inputs.add(sc);
                AVStream is = sc.streams(0);
                os.time_base(is.time_base());
                if (s.kind() == Kind.COPY) {
                    check(avcodec_parameters_copy(os.codecpar(), is.codecpar()), "copy");
                    readAll(sc, index, packets, 0);
                } else {
                    toMovText(sc, os, index, packets, codecs);
                }
            }
            AVIOContext pb = new AVIOContext(null);
            check(avio_open(pb, out.toString(), AVIO_FLAG_WRITE), "open " + out);
            oc.pb(pb);
            check(avformat_write_header(oc, (AVDictionary) null), "write the header");
            packets.sort(Comparator.comparingDouble(Timed::seconds));
            for (Timed t : packets) {
                av_packet_rescale_ts(t.pkt(), t.tb(), oc.streams(t.stream()).time_base());
                t.pkt().stream_index(t.stream());
                t.pkt().pos(-1);
                check(av_interleaved_write_frame(oc, t.pkt()), "write a packet");
                av_packet_free(t.pkt());
            }
            check(av_write_trailer(oc), "finish");
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            codecs.forEach(c -> avcodec_free_context(c));
            if (oc.pb() != null) {
                avio_closep(oc.pb());
            }
            avformat_free_context(oc);
            inputs.forEach(ic -> avformat_close_input(ic));
        }
    }

    private static AVFormatContext open(Path file) {
        AVFormatContext ic = new AVFormatContext(null);
        check(avformat_open_input(ic, file.toString(), null, null), "open " + file);
        check(avformat_find_stream_info(ic, (PointerPointer<?>) null), "read " + file);
        return ic;
    }

    /**
     * Every packet of {@code ic}, {@code offsetSeconds} later; those of stream 0 go to {@code target}, or each to its
     * own index when 0.
     */
    private static void readAll(AVFormatContext ic, int target, List<Timed> into, double offsetSeconds) {
        AVPacket pkt = av_packet_alloc();
        try {
            while (av_read_frame(ic, pkt) >= 0) {
                AVStream st = ic.streams(pkt.stream_index());
                long shift = Math.round(offsetSeconds / av_q2d(st.time_base()));
                if (pkt.pts() != AV_NOPTS_VALUE) {
                    pkt.pts(pkt.pts() + shift);
                }
                if (pkt.dts() != AV_NOPTS_VALUE) {
                    pkt.dts(pkt.dts() + shift);
                }
                long ts = pkt.dts() != AV_NOPTS_VALUE ? pkt.dts() : pkt.pts();
                into.add(new Timed(av_packet_clone(pkt), target == 0 ? pkt.stream_index() : target, st.time_base(),
                        ts * av_q2d(st.time_base())));
                av_packet_unref(pkt);
            }
        } finally {
            av_packet_free(pkt);
        }
    }

    /** A PGS stream of two "end of display set" segments (type 0x80, length 0), at 0.5 s and 1.5 s. */
    private static void pgs(AVStream os, int target, List<Timed> into) {
        os.codecpar().codec_type(AVMEDIA_TYPE_SUBTITLE);
        os.codecpar().codec_id(AV_CODEC_ID_HDMV_PGS_SUBTITLE);
        AVRational ms = new AVRational().num(1).den(1000);
        os.time_base(ms);
        for (long at : new long[] {500, 1500}) {
            AVPacket pkt = av_packet_alloc();
            check(av_new_packet(pkt, 3), "allocate");
            pkt.data().put(new byte[] {(byte) 0x80, 0, 0}, 0, 3);
            pkt.pts(at);
            pkt.dts(at);
            pkt.duration(500);
            into.add(new Timed(pkt, target, ms, at / 1000.0));
        }
    }

    /** The srt packets decoded and encoded again as mov_text (3GPP timed text), the way the CLI converts them. */
    private static void toMovText(AVFormatContext sc, AVStream os, int target, List<Timed> into,
            List<AVCodecContext> codecs) {
        AVStream is = sc.streams(0);
        AVCodec dec = avcodec_find_decoder(AV_CODEC_ID_SUBRIP);
        AVCodecContext dctx = avcodec_alloc_context3(dec);
        codecs.add(dctx);
        check(avcodec_parameters_to_context(dctx, is.codecpar()), "set up the srt decoder");
        dctx.pkt_timebase(is.time_base());
        check(avcodec_open2(dctx, dec, (AVDictionary) null), "open the srt decoder");
        AVCodec enc = avcodec_find_encoder(AV_CODEC_ID_MOV_TEXT);
        AVCodecContext ectx = avcodec_alloc_context3(enc);
        codecs.add(ectx);
        ectx.time_base(is.time_base());
        ectx.subtitle_header(av_strdup(dctx.subtitle_header()));
        ectx.subtitle_header_size(dctx.subtitle_header_size());
        check(avcodec_open2(ectx, enc, (AVDictionary) null), "open the mov_text encoder");
        check(avcodec_parameters_from_context(os.codecpar(), ectx), "describe mov_text");
        AVPacket pkt = av_packet_alloc();
        AVSubtitle sub = new AVSubtitle();
        int[] got = new int[1];
        BytePointer buf = new BytePointer(64 * 1024);
        try {
            while (av_read_frame(sc, pkt) >= 0) {
                got[0] = 0;
                check(avcodec_decode_subtitle2(dctx, sub, got, pkt), "decode an srt cue");
                if (got[0] != 0) {
                    int n = avcodec_encode_subtitle(ectx, buf, 64 * 1024, sub);
                    check(n, "encode a mov_text cue");
                    AVPacket o = av_packet_alloc();
                    check(av_new_packet(o, n), "allocate");
                    Pointer.memcpy(o.data(), buf, n);
                    o.pts(pkt.pts());
                    o.dts(pkt.pts());
                    o.duration(pkt.duration());
                    into.add(new Timed(o, target, is.time_base(), pkt.pts() * av_q2d(is.time_base())));
                    avsubtitle_free(sub);
                }
                av_packet_unref(pkt);
            }
        } finally {
            av_packet_free(pkt);
            buf.close();
        }
    }

    private static void check(int ret, String what) {
        if (ret < 0) {
            throw new IllegalStateException("cannot " + what + " (error " + ret + ")");
        }
    }
}
