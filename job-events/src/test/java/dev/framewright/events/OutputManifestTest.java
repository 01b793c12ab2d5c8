package dev.framewright.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OutputManifestTest {

    private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-000000000001");

    private static List<OutputFile> ladder(int segments) {
        List<OutputFile> files = new ArrayList<>();
        files.add(file("master.m3u8", "application/vnd.apple.mpegurl"));
        for (String r : List.of("1080p", "720p", "480p")) {
            files.add(file(r + "/index.m3u8", "application/vnd.apple.mpegurl"));
            for (int i = 0; i < segments; i++) {
                files.add(file(r + "/segment-" + String.format("%05d", i) + ".ts", "video/mp2t"));
            }
        }
        return files;
    }

    private static OutputFile file(String path, String type) {
        return new OutputFile(path, OutputManifest.key(JOB, "hls").replace(OutputManifest.FILE, path), 123456, type);
    }

    @Test
    void aShortListFitsAndALongOneKeepsPlaylistsAndTheFirstOthers() {
        assertThat(OutputManifest.fitsInEvent(ladder(10))).isTrue();
        List<OutputFile> all = ladder(21_000); // 5.8 h at 1-second segments
        assertThat(OutputManifest.fitsInEvent(all)).isFalse();
        List<OutputFile> listed = OutputManifest.principal(all);
        assertThat(listed).extracting(OutputFile::path).contains("master.m3u8", "1080p/index.m3u8",
                "720p/index.m3u8", "480p/index.m3u8", "1080p/segment-00000.ts");
        assertThat(listed).hasSize(4 + 10);
        assertThat(JobEventJson.size(listed)).isLessThanOrEqualTo(OutputManifest.MAX_LISTED_BYTES);
    }

    @Test
    void subtitleSegmentsAreSegmentsButSidecarsAndTheirPlaylistsArePrincipal() {
        List<OutputFile> all = ladder(3000);
        for (String track : List.of("subs/0-eng", "subs/1-fra")) {
            all.add(file(track + "/index.m3u8", "application/vnd.apple.mpegurl"));
            for (int i = 1; i <= 3000; i++) {
                all.add(file(track + "/seg-" + String.format("%05d", i) + ".vtt", "text/vtt"));
            }
        }
        all.add(file("0-eng.vtt", "text/vtt"));
        List<OutputFile> listed = OutputManifest.principal(all);
        assertThat(listed).extracting(OutputFile::path).contains("subs/0-eng/index.m3u8", "subs/1-fra/index.m3u8",
                "0-eng.vtt").noneMatch(p -> p.endsWith("00011.vtt"));
        assertThat(listed).hasSize(4 + 2 + 1 + 10);
    }

    @Test
    void theLargestJobsTerminalEventStaysUnderTheBound() {
        // 32 outputs (the most a job may have), each listing as much as it may.
        List<OutputResult> outputs = new ArrayList<>();
        for (int o = 0; o < 32; o++) {
            List<OutputFile> all = ladder(5000);
            outputs.add(new OutputResult("output-with-a-rather-long-name-" + o, OutputType.HLS,
                    OutputManifest.principal(all), null, all.size(), OutputManifest.key(JOB, "hls-" + o)));
        }
        JobCompleted event = new JobCompleted(UUID.randomUUID(), JOB, "tenant", 1, Instant.now(), null, outputs);
        assertThat(JobEventJson.write(event).length).isLessThan(OutputManifest.MAX_EVENT_BYTES);
    }

    @Test
    void onlySafeRelativePathsAreFilePaths() {
        assertThat(OutputManifest.isSafePath("720p/segment-00001.ts")).isTrue();
        assertThat(OutputManifest.isSafePath("thumb-0001.jpg")).isTrue();
        for (String bad : List.of("", "/etc/passwd", "../other/video.mp4", "720p/../../x", "a//b", "./a", "a/",
                "a\\b", "a\u0000b", "a\nb", "a\u007fb", "\ud800x")) {
            assertThat(OutputManifest.isSafePath(bad)).as(bad).isFalse();
        }
    }

    @Test
    void anOlderResultWithoutTheNewFieldsStillReads() throws Exception {
        String json = "{\"name\":\"v\",\"type\":\"video\",\"files\":[{\"path\":\"video.mp4\",\"key\":\"k\",\"size\":1,"
                + "\"contentType\":\"video/mp4\"}]}";
        OutputResult r = JobEventJson.mapper().readValue(json, OutputResult.class);
        assertThat(r.files()).hasSize(1);
        assertThat(r.fileCount()).isNull();
        assertThat(r.manifest()).isNull();
        assertThat(new OutputResult("v", OutputType.VIDEO, r.files(), null).fileCount()).isEqualTo(1);
    }
}
