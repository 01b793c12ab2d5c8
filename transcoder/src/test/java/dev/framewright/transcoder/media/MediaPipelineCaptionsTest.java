package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.events.CaptionsOutput;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.StreamInfo;
import dev.framewright.events.VideoOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The input's subtitle streams as WebVTT: sidecars of a {@code captions} output and subtitle renditions of an HLS
 * ladder. Every WebVTT file is read back with the small parser below (not the writer's code) and its cues compared
 * with the ones muxed into the input.
 */
class MediaPipelineCaptionsTest {

    private static final List<HlsOutput.Rendition> ONE_RUNG = List.of(new HlsOutput.Rendition(240, 500));

    @Test
    void aCaptionsOutputWritesOneWebVttPerTextTrackNamedByIndexAndLanguage() throws Exception {
        Path input = CaptionTestMedia.mkvWithSrtAndAss();
        double offset = CaptionTestMedia.videoStart(input);
        RenderedOutput out = output(render(input, List.of(new CaptionsOutput("subs"))), "subs");

        assertThat(out.files()).extracting(RenderedOutput.File::path)
                .containsExactly("captions.json", "0-eng.vtt", "1-fra.vtt");
        assertThat(out.files()).extracting(RenderedOutput.File::contentType)
                .containsExactly("application/json", "text/vtt", "text/vtt");
        Vtt en = Vtt.parse(file(out, "0-eng.vtt"));
        assertThat(en.timestampMap()).isNull();
        CaptionsTest.assertCues(en.cues(), CaptionTestMedia.ENGLISH, offset);
        CaptionsTest.assertCues(Vtt.parse(file(out, "1-fra.vtt")).cues(), CaptionTestMedia.FRENCH, offset);

        JsonNode index = new ObjectMapper().readTree(file(out, "captions.json").toFile());
        assertThat(index.at("/tracks/0/file").asText()).isEqualTo("0-eng.vtt");
        assertThat(index.at("/tracks/0/stream").asInt()).isEqualTo(2);
        assertThat(index.at("/tracks/0/codec").asText()).isEqualTo("subrip");
        assertThat(index.at("/tracks/0/title").asText()).isEqualTo("English");
        assertThat(index.at("/tracks/0/defaultTrack").asBoolean()).isTrue();
        assertThat(index.at("/tracks/0/cues").asInt()).isEqualTo(2);
        assertThat(index.at("/tracks/1/language").asText()).isEqualTo("fra");
        assertThat(index.at("/tracks/1/codec").asText()).isEqualTo("ass");
        assertThat(index.at("/tracks/1/forced").asBoolean()).isTrue();
        assertThat(index.get("skipped")).isEmpty();
    }

    @Test
    void movTextOfAnMp4BecomesWebVtt() throws Exception {
        Path input = CaptionTestMedia.mp4WithMovText();
        RenderedOutput out = output(render(input, List.of(new CaptionsOutput("subs"))), "subs");
        assertThat(out.files()).extracting(RenderedOutput.File::path).containsExactly("captions.json", "0-eng.vtt");
        CaptionsTest.assertCues(Vtt.parse(file(out, "0-eng.vtt")).cues(), CaptionTestMedia.ENGLISH,
                CaptionTestMedia.videoStart(input));
    }

    @Test
    void anInputWithoutSubtitlesGivesAnEmptyIndexNotAFailure() throws Exception {
        RenderedOutput out = output(render(TestMedia.clip320WithAudio(), List.of(new CaptionsOutput("subs"))),
                "subs");
        assertThat(out.files()).extracting(RenderedOutput.File::path).containsExactly("captions.json");
        JsonNode index = new ObjectMapper().readTree(out.files().get(0).local().toFile());
        assertThat(index.get("tracks")).isEmpty();
    }

    @Test
    void aBitmapStreamIsListedAndSkippedWithAReasonNeverAFailure() throws Exception {
        Path input = CaptionTestMedia.mkvWithBitmapAndSrt();
        MediaInfo info = MediaProbe.probe(input);
        assertThat(info.streams().get(2)).satisfies(s -> {
            assertThat(s.kind()).isEqualTo("subtitle");
            assertThat(s.codec()).isEqualTo("hdmv_pgs_subtitle");
            assertThat(s.language()).isEqualTo("ger");
            assertThat(s.subtitleType()).isEqualTo("bitmap");
        });
        assertThat(info.streams().get(3).subtitleType()).isEqualTo("text");

        MediaPipeline.Outcome outcome = render(input, List.of(new CaptionsOutput("subs"),
                new HlsOutput("ladder", ONE_RUNG, 1.0)));
        RenderedOutput out = output(outcome, "subs");
        assertThat(out.files()).extracting(RenderedOutput.File::path).containsExactly("captions.json", "1-eng.vtt");
        CaptionsTest.assertCues(Vtt.parse(file(out, "1-eng.vtt")).cues(), CaptionTestMedia.ENGLISH,
                CaptionTestMedia.videoStart(input));
        JsonNode index = new ObjectMapper().readTree(file(out, "captions.json").toFile());
        assertThat(index.at("/skipped/0/index").asInt()).isZero();
        assertThat(index.at("/skipped/0/stream").asInt()).isEqualTo(2);
        assertThat(index.at("/skipped/0/codec").asText()).isEqualTo("hdmv_pgs_subtitle");
        assertThat(index.at("/skipped/0/reason").asText()).contains("bitmap");
        assertThat(index.at("/tracks/0/index").asInt()).isEqualTo(1);

        String master = Files.readString(file(output(outcome, "ladder"), "master.m3u8"));
        assertThat(master.lines().filter(l -> l.startsWith("#EXT-X-MEDIA:"))).singleElement()
                .satisfies(l -> assertThat(l).contains("LANGUAGE=\"en\"", "DEFAULT=NO", "URI=\"subs/1-eng/index.m3u8\""));
    }

    @Test
    void hlsOffersEveryTextTrackAsASubtitleRenditionOfEveryVariant() throws Exception {
        Path input = CaptionTestMedia.mkvWithSrtAndAss();
        double offset = CaptionTestMedia.videoStart(input);
        HlsOutput spec = new HlsOutput("ladder", List.of(new HlsOutput.Rendition(240, 500),
                new HlsOutput.Rendition(120, 200)), 1.0);
        RenderedOutput out = output(render(input, List.of(spec)), "ladder");
        Path root = out.files().get(0).local().getParent();
        String master = Files.readString(root.resolve("master.m3u8"), StandardCharsets.UTF_8);

        List<String> media = master.lines().filter(l -> l.startsWith("#EXT-X-MEDIA:")).toList();
        assertThat(media).containsExactly(
                "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=YES,"
                        + "AUTOSELECT=YES,URI=\"subs/0-eng/index.m3u8\"",
                "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"French (forced)\",LANGUAGE=\"fr\",DEFAULT=NO,"
                        + "AUTOSELECT=YES,FORCED=YES,URI=\"subs/1-fra/index.m3u8\"");
        List<String> variants = master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).toList();
        assertThat(variants).hasSize(2).allMatch(l -> l.endsWith(",SUBTITLES=\"subs\""));

        HlsLadder.MediaPlaylist video = HlsLadder.read(root.resolve("240p/index.m3u8"));
        long firstPts = HlsLadder.firstVideoPts90k(root.resolve("240p").resolve(video.segments().get(0)));
        assertThat(firstPts).as("the MPEG-TS clock does not start at 0").isPositive();
        String[][] tracks = {{"subs/0-eng/index.m3u8", "en"}, {"subs/1-fra/index.m3u8", "fr"}};
        for (String[] track : tracks) {
            Path playlist = root.resolve(track[0]);
            assertThat(out.files()).anyMatch(f -> f.local().equals(playlist));
            String text = Files.readString(playlist);
            assertThat(text).contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST", "#EXT-X-TARGETDURATION:");
            HlsLadder.MediaPlaylist subs = HlsLadder.read(playlist);
            assertThat(subs.durations()).as("cut on the video's segments").isEqualTo(video.durations());
            LinkedHashSet<Captions.Cue> cues = new LinkedHashSet<>();
            for (String segment : subs.segments()) {
                Path vtt = playlist.resolveSibling(segment);
                assertThat(out.files()).anyMatch(f -> f.local().equals(vtt) && f.contentType().equals("text/vtt"));
                Vtt parsed = Vtt.parse(vtt);
                assertThat(parsed.timestampMap()).isEqualTo("MPEGTS=" + firstPts + ",LOCAL=00:00:00.000");
                cues.addAll(parsed.cues()); // a cue across a boundary is in both segments
            }
            CaptionsTest.assertCues(new ArrayList<>(cues),
                    track[1].equals("en") ? CaptionTestMedia.ENGLISH : CaptionTestMedia.FRENCH, offset);
        }
        // the English cue 1.5-2.25 spans the 2 s boundary: in the second and the third segment
        HlsLadder.MediaPlaylist en = HlsLadder.read(root.resolve(tracks[0][0]));
        for (int segment : new int[] {1, 2}) {
            assertThat(Vtt.parse(root.resolve("subs/0-eng").resolve(en.segments().get(segment))).cues())
                    .extracting(Captions.Cue::text).contains("Two lines\nof text &amp; more");
        }
        assertThat(Vtt.parse(root.resolve("subs/0-eng").resolve(en.segments().get(0))).cues())
                .extracting(Captions.Cue::text).containsExactly("Hello there");
    }

    @Test
    void hlsWithoutSubtitlesInTheInputHasNoSubtitleGroup() throws Exception {
        RenderedOutput out = output(render(TestMedia.clip320WithAudio(),
                List.of(new HlsOutput("ladder", ONE_RUNG, 1.0))), "ladder");
        assertNoSubtitles(out);
    }

    @Test
    void hlsCaptionsFalseLeavesTheSubtitlesOut() throws Exception {
        RenderedOutput out = output(render(CaptionTestMedia.mkvWithSrtAndAss(),
                List.of(new HlsOutput("ladder", ONE_RUNG, 1.0, null, null, false))), "ladder");
        assertNoSubtitles(out);
    }

    @Test
    void anMp4WithCaptionsTrueCarriesEveryTextTrackAsMovText() throws Exception {
        Path input = CaptionTestMedia.mkvWithSrtAndAss();
        double offset = CaptionTestMedia.videoStart(input);
        VideoOutput encoded = new VideoOutput("small", null, null, 120, null, null, null, null, null, null, null,
                null, null, null, true);
        VideoOutput plain = new VideoOutput("plain", null, null, 120, null, null, null, null, null, null, null);
        MediaPipeline.Outcome outcome = render(input, List.of(encoded, plain));

        Path file = file(output(outcome, "small"), "video.mp4");
        MediaInfo info = MediaProbe.probe(file);
        assertThat(info.streams()).extracting(StreamInfo::kind)
                .containsExactly("video", "audio", "subtitle", "subtitle");
        assertThat(info.streams().subList(2, 4)).extracting(StreamInfo::codec).containsOnly("mov_text");
        assertThat(info.streams().subList(2, 4)).extracting(StreamInfo::language).containsExactly("eng", "fra");
        assertThat(info.height()).isEqualTo(120);
        assertThat(TestMedia.countVideoFrames(file)).isEqualTo(75);
        Captions.Extracted back = Captions.extract(file);
        CaptionsTest.assertCues(back.tracks().get(0).cues(), CaptionTestMedia.ENGLISH, offset);
        CaptionsTest.assertCues(back.tracks().get(1).cues(), CaptionTestMedia.FRENCH, offset);

        assertThat(MediaProbe.probe(file(output(outcome, "plain"), "video.mp4")).streams())
                .as("captions default to false").extracting(StreamInfo::kind).containsExactly("video", "audio");
    }

    @Test
    void aTrimmedMp4ShiftsAndCutsTheCues() throws Exception {
        Path input = CaptionTestMedia.mkvWithSrtAndAss();
        double offset = CaptionTestMedia.videoStart(input);
        // 0.2 s to 1.7 s of the source: the second English cue (1.5-2.25) is cut at the end
        VideoOutput trimmed = new VideoOutput("cut", null, null, 120, null, null, null, null, 0.2, 1.5, null, null,
                null, null, true);
        Path file = file(output(render(input, List.of(trimmed)), "cut"), "video.mp4");
        Captions.Track en = Captions.extract(file).tracks().get(0);
        CaptionsTest.assertCues(en.cues(), List.of(
                new Object[] {0.4 + offset - 0.2, 1.0 + offset - 0.2, "Hello there"},
                new Object[] {1.5 + offset - 0.2, 1.5, "Two lines\nof text &amp; more"}), 0);
    }

    @Test
    void aStreamCopyWithCaptionsTrueKeepsThePacketsAndAddsTheTrack() throws Exception {
        Path input = CaptionTestMedia.mp4WithMovText();
        VideoOutput copy = new VideoOutput("copy", null, null, null, null, null, null, null, null, null, null, null,
                null, null, true);
        Path file = file(output(render(input, List.of(copy)), "copy"), "video.mp4");
        MediaInfo info = MediaProbe.probe(file);
        assertThat(info.streams()).extracting(StreamInfo::codec).containsExactly("h264", "aac", "mov_text");
        assertThat(info.streams().get(0).bitRate()).as("the source's own packets")
                .isEqualTo(MediaProbe.probe(input).streams().get(0).bitRate());
        CaptionsTest.assertCues(Captions.extract(file).tracks().get(0).cues(), CaptionTestMedia.ENGLISH,
                CaptionTestMedia.videoStart(input));
    }

    private static void assertNoSubtitles(RenderedOutput out) throws Exception {
        String master = Files.readString(out.files().get(0).local(), StandardCharsets.UTF_8);
        assertThat(master).doesNotContain("#EXT-X-MEDIA", "SUBTITLES=");
        assertThat(out.files()).extracting(RenderedOutput.File::path).noneMatch(p -> p.startsWith("subs/"));
        assertThat(out.files().get(0).local().resolveSibling("subs")).doesNotExist();
    }

    /** A WebVTT file as a player reads it: the header, X-TIMESTAMP-MAP, and every cue's times and text. */
    record Vtt(String timestampMap, List<Captions.Cue> cues) {

        private static final Pattern TIMING = Pattern.compile(
                "(\\d{2,}):(\\d{2}):(\\d{2})\\.(\\d{3}) --> (\\d{2,}):(\\d{2}):(\\d{2})\\.(\\d{3})");

        static Vtt parse(Path file) throws Exception {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(text).as(file + " is WebVTT").startsWith("WEBVTT\n");
            String[] blocks = text.split("\n\n");
            String map = null;
            for (String header : blocks[0].split("\n")) {
                if (header.startsWith("X-TIMESTAMP-MAP=")) {
                    map = header.substring("X-TIMESTAMP-MAP=".length());
                }
            }
            List<Captions.Cue> cues = new ArrayList<>();
            for (int b = 1; b < blocks.length; b++) {
                if (blocks[b].isBlank()) {
                    continue;
                }
                String[] lines = blocks[b].split("\n", 2);
                Matcher m = TIMING.matcher(lines[0]);
                assertThat(m.matches()).as("timing line '%s' of %s", lines[0], file).isTrue();
                cues.add(new Captions.Cue(seconds(m, 1), seconds(m, 5), lines.length > 1 ? lines[1] : ""));
            }
            return new Vtt(map, cues);
        }

        private static double seconds(Matcher m, int g) {
            return Integer.parseInt(m.group(g)) * 3600 + Integer.parseInt(m.group(g + 1)) * 60
                    + Integer.parseInt(m.group(g + 2)) + Integer.parseInt(m.group(g + 3)) / 1000.0;
        }
    }
}
