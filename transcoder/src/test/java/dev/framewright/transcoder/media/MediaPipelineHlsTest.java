package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.HlsOutput;
import dev.framewright.events.MediaInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MediaPipelineHlsTest {

    @Test
    void ladderDropsTallerRungsAndEverySegmentDecodes() throws Exception {
        // 3 s 320x240 with audio; 1 s segments
        HlsOutput spec = new HlsOutput("ladder", List.of(new HlsOutput.Rendition(480, 1400),
                new HlsOutput.Rendition(240, 500), new HlsOutput.Rendition(120, 200)), 1.0);
        RenderedOutput out = output(render(TestMedia.clip320WithAudio(), List.of(spec)), "ladder");

        assertThat(out.files().get(0).path()).isEqualTo("master.m3u8");
        Path root = out.files().get(0).local().getParent();
        String master = Files.readString(root.resolve("master.m3u8"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("#EXT-X-STREAM-INF:BANDWIDTH=(\\d+),.*RESOLUTION=(\\d+)x(\\d+),.*"
                + "CODECS=\"(avc1\\.6400[0-9a-f]{2},mp4a\\.40\\.2)\"\\n(\\S+)").matcher(master);
        List<String> uris = new ArrayList<>();
        List<Integer> heights = new ArrayList<>();
        while (m.find()) {
            assertThat(Long.parseLong(m.group(1))).isPositive();
            heights.add(Integer.parseInt(m.group(3)));
            uris.add(m.group(5));
        }
        assertThat(heights).as("480p is taller than the source").containsExactly(240, 120);
        assertThat(uris).containsExactly("240p/index.m3u8", "120p/index.m3u8");

        for (int i = 0; i < uris.size(); i++) {
            Path playlist = root.resolve(uris.get(i));
            HlsLadder.MediaPlaylist media = HlsLadder.read(playlist);
            assertThat(Files.readString(playlist)).contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST");
            assertThat(media.total()).as("playlist duration").isCloseTo(3.0, within(0.1));
            assertThat(media.segments()).hasSize(3).allMatch(s -> s.matches("seg-\\d{5}\\.ts"));
            assertThat(media.segments().get(0)).isEqualTo("seg-00001.ts");
            double decoded = 0;
            int frames = 0;
            for (String segment : media.segments()) {
                Path ts = playlist.resolveSibling(segment);
                assertThat(out.files()).anyMatch(f -> f.local().equals(ts));
                MediaInfo info = MediaProbe.probe(ts);
                assertThat(info.videoCodec()).isEqualTo("h264");
                assertThat(info.height()).isEqualTo(heights.get(i));
                assertThat(info.audioCodec()).isEqualTo("aac");
                int n = TestMedia.countVideoFrames(ts);
                assertThat(n).as("1 s segments cut on the forced keyframes").isEqualTo(25);
                frames += n;
                decoded += info.durationSeconds();
            }
            assertThat(frames).isEqualTo(75);
            assertThat(decoded).isCloseTo(3.0, within(0.2));
        }
        assertThat(out.media().height()).isEqualTo(240);
        assertThat(out.media().durationSeconds()).isCloseTo(3.0, within(0.1));
    }

    @Test
    void defaultLadderKeepsTheSourceHeightWhenEveryRungIsTaller() throws Exception {
        RenderedOutput out = output(render(TestMedia.clip320WithAudio(), List.of(new HlsOutput("hls", null, null))),
                "hls");
        assertThat(out.files()).extracting(RenderedOutput.File::path)
                .containsExactly("master.m3u8", "240p/index.m3u8", "240p/seg-00001.ts");
        String master = Files.readString(out.files().get(0).local());
        assertThat(master).contains("RESOLUTION=320x240").contains("240p/index.m3u8");
        assertThat(TestMedia.countVideoFrames(out.files().get(2).local())).isEqualTo(75);
    }
}
