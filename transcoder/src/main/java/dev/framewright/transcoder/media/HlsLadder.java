package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import dev.framewright.events.FailureCode;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * The HLS ladder's playlists: FFmpeg's {@code hls} muxer writes each rendition's VOD media playlist and segments; this
 * writes the master playlist with what players pick renditions by: {@code BANDWIDTH} (the measured peak segment bit
 * rate, as RFC 8216 asks), {@code AVERAGE-BANDWIDTH}, {@code RESOLUTION}, {@code FRAME-RATE} and {@code CODECS}
 * (H.264 High at the level the encoder was told to respect, AAC-LC).
 */
final class HlsLadder {

    static final int AUDIO_KBPS = 128;

    private HlsLadder() {
    }

    /** An H.264 level: its name for x264 and its {@code level_idc} for the RFC 6381 codec string. */
    record Level(String name, int idc) {
    }

    /** The lowest H.264 level whose frame size and macroblock rate limits hold this picture size and rate. */
    static Level level(BoxFit.Size size, double fps) {
        long mbs = (long) ((size.width() + 15) / 16) * ((size.height() + 15) / 16);
        double mbps = mbs * fps;
        long[][] limits = { // idc, max macroblocks per frame, max macroblocks per second (H.264 table A-1)
            {30, 1620, 40_500}, {31, 3600, 108_000}, {32, 5120, 216_000}, {40, 8192, 245_760},
            {42, 8704, 522_240}, {50, 22_080, 589_824}, {51, 36_864, 983_040}, {52, 36_864, 2_073_600},
            {60, 139_264, 4_177_920}};
        for (long[] l : limits) {
            if (mbs <= l[1] && mbps <= l[2]) {
                return new Level(l[0] / 10 + "." + l[0] % 10, (int) l[0]);
            }
        }
        return new Level("6.2", 62);
    }

    static String codecs(BoxFit.Size size, double fps, boolean audio) {
        String video = String.format(Locale.ROOT, "avc1.6400%02x", level(size, fps).idc());
        return audio ? video + ",mp4a.40.2" : video;
    }

    /** One media playlist as the muxer wrote it. */
    record MediaPlaylist(List<String> segments, List<Double> durations) {
        double total() {
            return durations.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    static MediaPlaylist read(Path playlist) throws IOException {
        List<String> segments = new ArrayList<>();
        List<Double> durations = new ArrayList<>();
        Double pending = null;
        for (String line : Files.readAllLines(playlist, StandardCharsets.UTF_8)) {
            line = line.trim();
            if (line.startsWith("#EXTINF:")) {
                String v = line.substring(8);
                int comma = v.indexOf(',');
                pending = Double.parseDouble(comma >= 0 ? v.substring(0, comma) : v);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                segments.add(line);
                durations.add(pending == null ? 0 : pending);
                pending = null;
            }
        }
        return new MediaPlaylist(segments, durations);
    }

    /**
     * @param captions the text subtitle tracks to offer as subtitle renditions (group {@code subs}); none: no group
     */
    static RenderedOutput finish(HlsOutput spec, OutputPlans.HlsPlan plan, Path dir, boolean audio,
            List<Captions.Track> captions) throws MediaException {
        try {
            StringBuilder master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
            List<RenderedOutput.File> files = new ArrayList<>();
            Path masterFile = dir.resolve("master.m3u8");
            files.add(new RenderedOutput.File("master.m3u8", masterFile, MediaPipeline.HLS_PLAYLIST));
            List<RenderedOutput.File> subtitleFiles = new ArrayList<>(); // listed after the renditions' files
            if (!captions.isEmpty()) {
                OutputPlans.Rung top = plan.rungs().get(0);
                Path topDir = dir.resolve(top.dir());
                MediaPlaylist timeline = read(topDir.resolve("index.m3u8"));
                if (!timeline.segments().isEmpty()) {
                    long mpegts = firstVideoPts90k(topDir.resolve(timeline.segments().get(0)));
                    master.append(HlsSubtitles.write(dir, captions, timeline.durations(), plan.segmentSeconds(),
                            mpegts, subtitleFiles));
                }
            }
            String subtitlesGroup = captions.isEmpty() ? "" : ",SUBTITLES=\"" + HlsSubtitles.GROUP + "\"";
            double topDuration = 0;
            for (OutputPlans.Rung rung : plan.rungs()) {
                Path playlist = dir.resolve(rung.dir()).resolve("index.m3u8");
                MediaPlaylist media = read(playlist);
                if (media.segments().isEmpty()) {
                    throw new MediaException(FailureCode.INTERNAL, "the " + rung.dir() + " playlist has no segment");
                }
                files.add(new RenderedOutput.File(rung.dir() + "/index.m3u8", playlist, MediaPipeline.HLS_PLAYLIST));
                long totalBytes = 0;
                double peak = 0;
                for (int i = 0; i < media.segments().size(); i++) {
                    String name = media.segments().get(i);
                    if (name.contains("/") || name.contains("\\")) {
                        throw new MediaException(FailureCode.INTERNAL, "unexpected segment URI " + name);
                    }
                    Path seg = dir.resolve(rung.dir()).resolve(name);
                    long bytes = Files.size(seg);
                    totalBytes += bytes;
                    double d = media.durations().get(i);
                    if (d > 0.5) { // a sliver of a last segment says little about the rate
                        peak = Math.max(peak, bytes * 8 / d);
                    }
                    files.add(new RenderedOutput.File(rung.dir() + "/" + name, seg, MediaPipeline.TS));
                }
                double total = media.total();
                long average = total > 0 ? Math.round(totalBytes * 8 / total) : 0;
                long bandwidth = Math.max(Math.round(peak), average);
                if (rung == plan.rungs().get(0)) {
                    topDuration = total;
                }
                master.append(String.format(Locale.ROOT,
                        "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,RESOLUTION=%dx%d,FRAME-RATE=%.3f,"
                                + "CODECS=\"%s\"%s\n%s/index.m3u8\n",
                        bandwidth, average, rung.size().width(), rung.size().height(), plan.fps(),
                        codecs(rung.size(), plan.fps(), audio), subtitlesGroup, rung.dir()));
            }
            files.addAll(subtitleFiles);
            Files.writeString(masterFile, master.toString(), StandardCharsets.UTF_8);
            // the top rendition's first segment says what the ladder decodes to; the playlist the duration
            OutputPlans.Rung top = plan.rungs().get(0);
            MediaPlaylist topList = read(dir.resolve(top.dir()).resolve("index.m3u8"));
            MediaInfo seg = MediaPipeline.probeOutput(dir.resolve(top.dir()).resolve(topList.segments().get(0)));
            MediaInfo media = MediaInfo.summary("hls", topDuration, seg.width(), seg.height(), seg.videoCodec(),
                    plan.fps(), seg.audioCodec(), seg.audioSampleRate(), seg.audioChannels());
            return new RenderedOutput(spec.name(), OutputType.HLS, List.copyOf(files), media);
        } catch (IOException | RuntimeException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot finish the HLS playlists: " + e.getMessage(), e);
        }
    }

    /**
     * The presentation time of the first picture of a segment, in MPEG-TS 90 kHz ticks: what {@code X-TIMESTAMP-MAP}
     * maps cue time 0 to (the muxer starts its clock at 1.4 s, not 0, so players need it to align the cues).
     */
    static long firstVideoPts90k(Path segment) throws MediaException {
        FFmpegFrameGrabber g = FFmpegSupport.open(segment, null);
        try {
            AVFormatContext oc = g.getFormatContext();
            int v = g.getVideoStream();
            AVStream st = oc.streams(v >= 0 ? v : 0);
            long start = st.start_time() != AV_NOPTS_VALUE ? av_rescale_q(st.start_time(), st.time_base(),
                    av_make_q(1, 90_000)) : oc.start_time() != AV_NOPTS_VALUE ? oc.start_time() * 9 / 100 : 0;
            return Math.max(0, start);
        } finally {
            FFmpegSupport.closeQuietly(g);
        }
    }
}
