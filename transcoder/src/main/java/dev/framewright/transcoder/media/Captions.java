package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_decode_subtitle2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avsubtitle_free;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_DEFAULT;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_FORCED;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

import dev.framewright.events.FailureCode;
import dev.framewright.events.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVSubtitle;
import org.bytedeco.ffmpeg.avcodec.AVSubtitleRect;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * The input's subtitle streams as cues: every text stream (mov_text, subrip, ass/ssa, webvtt, and any other codec
 * libavcodec calls text) is decoded with libavcodec's own subtitle decoder, which hands every text codec over as ASS
 * dialogue lines; their text is turned into plain WebVTT cue text (ASS override tags such as {@code {\i1}} dropped,
 * {@code \N} a line break). Bitmap streams (PGS, DVB, DVD: pictures) and text streams without a decoder are
 * {@linkplain Extracted#skipped() skipped} with a reason, never a failure.
 *
 * <p>Cue times are media times from the input's start, as every output of the pipeline counts them (a stream copy
 * and an encode both start at 0 where the input starts). One pass over the input's packets, no picture or sound
 * decoded: about the time of reading the file.
 */
final class Captions {

    /** Report progress and check for a cancel every this many packets. */
    private static final int CHECK_EVERY_PACKETS = 200;
    private static final Pattern OVERRIDE = Pattern.compile("\\{[^}]*}");

    private Captions() {
    }

    /** One cue: seconds from the input's start, and its text (lines separated by {@code \n}, WebVTT-escaped). */
    record Cue(double start, double end, String text) {
    }

    /**
     * One text subtitle stream converted.
     *
     * @param number      0-based position among the input's subtitle streams
     * @param streamIndex position among all streams of the input
     */
    record Track(int number, int streamIndex, String codec, String language, String title, boolean isDefault,
            boolean forced, List<Cue> cues) {

        /** {@code {number}-{language}}, or {@code {number}} when the stream has no usable language tag. */
        String baseName() {
            String lang = language == null ? "" : language.toLowerCase(Locale.ROOT);
            return lang.matches("[a-z]{2,3}") ? number + "-" + lang : Integer.toString(number);
        }
    }

    /** A subtitle stream that was not converted, and why. */
    record Skipped(int number, int streamIndex, String codec, String language, String reason) {
    }

    record Extracted(List<Track> tracks, List<Skipped> skipped) {
        static final Extracted NONE = new Extracted(List.of(), List.of());
    }

    /** Every subtitle stream of the input, converted or skipped, in file order. */
    static Extracted extract(java.nio.file.Path input) throws MediaException {
        FFmpegFrameGrabber grabber = FFmpegSupport.open(input, null);
        try {
            return extract(grabber);
        } finally {
            FFmpegSupport.closeQuietly(grabber);
        }
    }

    private static final class Decoding {
        final int number;
        final AVStream stream;
        final AVCodecContext ctx;
        final List<Cue> cues = new ArrayList<>();
        /** Index in {@link #cues} of cues whose end the packet did not say: they end where the next one starts. */
        final List<Integer> openEnded = new ArrayList<>();

        Decoding(int number, AVStream stream, AVCodecContext ctx) {
            this.number = number;
            this.stream = stream;
            this.ctx = ctx;
        }
    }

    /** @param grabber the input opened, nothing read yet */
    static Extracted extract(FFmpegFrameGrabber grabber) throws MediaException {
        AVFormatContext oc = grabber.getFormatContext();
        Map<Integer, Decoding> decoders = new LinkedHashMap<>();
        List<Skipped> skipped = new ArrayList<>();
        int number = 0;
        try {
            for (int i = 0; i < oc.nb_streams(); i++) {
                AVStream st = oc.streams(i);
                if (st.codecpar().codec_type() != AVMEDIA_TYPE_SUBTITLE) {
                    continue;
                }
                int n = number++;
                int codecId = st.codecpar().codec_id();
                String codec = codecId == 0 ? null : FFmpegSupport.codecName(codecId);
                String language = MediaProbe.language(st);
                String type = MediaProbe.subtitleType(codecId);
                if (!StreamInfo.TEXT.equals(type)) {
                    skipped.add(new Skipped(n, i, codec, language, StreamInfo.BITMAP.equals(type)
                            ? "bitmap subtitles (pictures) cannot become WebVTT text"
                            : "not a known text subtitle codec"));
                    continue;
                }
                AVCodec decoder = avcodec_find_decoder(codecId);
                AVCodecContext ctx = decoder == null ? null : avcodec_alloc_context3(decoder);
                if (ctx == null || avcodec_parameters_to_context(ctx, st.codecpar()) < 0) {
                    if (ctx != null) {
                        avcodec_free_context(ctx);
                    }
                    skipped.add(new Skipped(n, i, codec, language, "the FFmpeg build has no decoder for it"));
                    continue;
                }
                ctx.pkt_timebase(st.time_base());
                if (avcodec_open2(ctx, decoder, (AVDictionary) null) < 0) {
                    avcodec_free_context(ctx);
                    skipped.add(new Skipped(n, i, codec, language, "its decoder refused the stream's header"));
                    continue;
                }
                decoders.put(i, new Decoding(n, st, ctx));
            }
            if (!decoders.isEmpty()) {
                read(grabber, decoders);
            }
            double end = FFmpegSupport.durationMicros(grabber) / 1e6;
            List<Track> tracks = new ArrayList<>();
            for (Decoding d : decoders.values()) {
                tracks.add(track(d, end));
            }
            return new Extracted(List.copyOf(tracks), List.copyOf(skipped));
        } finally {
            for (Decoding d : decoders.values()) {
                avcodec_free_context(d.ctx);
            }
        }
    }

    private static void read(FFmpegFrameGrabber grabber, Map<Integer, Decoding> decoders) throws MediaException {
        double start = FFmpegSupport.startMicros(grabber) / 1e6;
        AVSubtitle sub = new AVSubtitle();
        int[] got = new int[1];
        long packets = 0;
        try {
            AVPacket pkt;
            while ((pkt = grabber.grabPacket()) != null) {
                try {
                    if (++packets % CHECK_EVERY_PACKETS == 0 && Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("caption extraction interrupted");
                    }
                    Decoding d = decoders.get(pkt.stream_index());
                    if (d == null || pkt.size() <= 0) {
                        continue;
                    }
                    long ts = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
                    if (ts == AV_NOPTS_VALUE) {
                        continue;
                    }
                    double tb = av_q2d(d.stream.time_base());
                    got[0] = 0;
                    if (avcodec_decode_subtitle2(d.ctx, sub, got, pkt) < 0 || got[0] == 0) {
                        continue; // a broken cue is left out, the others are kept
                    }
                    try {
                        double cueStart = ts * tb - start;
                        double cueEnd = pkt.duration() > 0 ? cueStart + pkt.duration() * tb
                                : sub.end_display_time() > 0 && sub.end_display_time() != 0xFFFFFFFFL
                                        ? cueStart + (sub.end_display_time() & 0xFFFFFFFFL) / 1000.0 : Double.NaN;
                        cueStart += (sub.start_display_time() & 0xFFFFFFFFL) / 1000.0;
                        String text = text(sub);
                        if (!text.isEmpty()) {
                            if (Double.isNaN(cueEnd)) {
                                d.openEnded.add(d.cues.size());
                            }
                            d.cues.add(new Cue(Math.max(0, cueStart), cueEnd, text));
                        }
                    } finally {
                        avsubtitle_free(sub);
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
        } catch (FrameGrabber.Exception e) {
            throw new MediaException(FailureCode.UNSUPPORTED_MEDIA, "cannot read the input's packets", e);
        }
    }

    /** The decoded cues in time order; a cue without an end lasts until the next one, or the end of the input. */
    private static Track track(Decoding d, double inputEnd) {
        List<Cue> cues = new ArrayList<>(d.cues);
        for (int i : d.openEnded) {
            Cue c = cues.get(i);
            double next = Double.NaN;
            for (Cue o : d.cues) {
                if (o.start() > c.start() && (Double.isNaN(next) || o.start() < next)) {
                    next = o.start();
                }
            }
            double end = !Double.isNaN(next) ? next : inputEnd > c.start() ? inputEnd : c.start() + 1;
            cues.set(i, new Cue(c.start(), end, c.text()));
        }
        cues.removeIf(c -> !(c.end() > c.start()));
        cues.sort(Comparator.comparingDouble(Cue::start));
        AVStream st = d.stream;
        int codecId = st.codecpar().codec_id();
        return new Track(d.number, st.index(), FFmpegSupport.codecName(codecId), MediaProbe.language(st),
                MediaProbe.tag(st, "title"), (st.disposition() & AV_DISPOSITION_DEFAULT) != 0,
                (st.disposition() & AV_DISPOSITION_FORCED) != 0, List.copyOf(cues));
    }

    /** The text of every rectangle of a decoded subtitle, joined by line breaks. */
    private static String text(AVSubtitle sub) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < sub.num_rects(); r++) {
            AVSubtitleRect rect = sub.rects(r);
            String line = null;
            BytePointer ass = rect.ass();
            if (ass != null && !ass.isNull()) {
                line = assText(ass.getString(StandardCharsets.UTF_8));
            } else if (rect.text() != null && !rect.text().isNull()) {
                line = plain(rect.text().getString(StandardCharsets.UTF_8));
            }
            if (line != null && !line.isEmpty()) {
                out.append(out.length() > 0 ? "\n" : "").append(line);
            }
        }
        return out.toString();
    }

    /**
     * The text of an ASS dialogue line as libavcodec's decoders write it ({@code ReadOrder,Layer,Style,Name,MarginL,
     * MarginR,MarginV,Effect,Text}), as WebVTT cue text: override blocks {@code {...}} dropped, {@code \N} and
     * {@code \n} line breaks, {@code \h} a space, {@code & < >} escaped, blank lines left out.
     */
    static String assText(String dialogue) {
        String[] fields = dialogue.split(",", 9);
        return plain(fields.length == 9 ? fields[8] : dialogue);
    }

    private static String plain(String assText) {
        String t = OVERRIDE.matcher(assText).replaceAll("");
        t = t.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", " ").replace("\r", "");
        t = t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        // "-->" cannot be in a cue's text (it would read as a timing line); the escaping above already breaks it
        StringBuilder out = new StringBuilder();
        for (String line : t.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty()) {
                out.append(out.length() > 0 ? "\n" : "").append(l);
            }
        }
        return out.toString();
    }

    /**
     * A WebVTT file of the cues. Written here rather than by FFmpeg's webvtt muxer: the cues are already plain
     * text, and HLS needs the {@code X-TIMESTAMP-MAP} header line, which that muxer does not write.
     *
     * @param timestampMap the value of {@code X-TIMESTAMP-MAP} (e.g. {@code MPEGTS=126000,LOCAL=00:00:00.000}), or
     *                     null for a plain sidecar
     */
    static String webvtt(List<Cue> cues, String timestampMap) {
        StringBuilder out = new StringBuilder("WEBVTT\n");
        if (timestampMap != null) {
            out.append("X-TIMESTAMP-MAP=").append(timestampMap).append('\n');
        }
        out.append('\n');
        for (Cue c : cues) {
            out.append(timestamp(c.start())).append(" --> ").append(timestamp(c.end())).append('\n')
                    .append(c.text()).append("\n\n");
        }
        return out.toString();
    }

    /** {@code HH:MM:SS.mmm}. */
    static String timestamp(double seconds) {
        long ms = Math.round(Math.max(0, seconds) * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                ms % 1000);
    }
}
