package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.events.CaptionsOutput;
import dev.framewright.events.HlsOutput;
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
