package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputType;
import dev.framewright.events.ProbeOutput;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ProbeRendererTest {

    @Test
    void probeJsonIsTheInputsMediaInfoAndReadsBackEqual() throws Exception {
        MediaInfo info = MediaProbe.probe(StillsTestMedia.videoWithTwoAudios());
        RenderedOutput out = ProbeRenderer.render(info, new ProbeOutput("meta"), TestMedia.output("probe"));

        assertThat(out.name()).isEqualTo("meta");
        assertThat(out.type()).isEqualTo(OutputType.PROBE);
        assertThat(out.media()).isNull();
        assertThat(out.files()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("probe.json");
            assertThat(f.contentType()).isEqualTo("application/json");
        });
        String json = Files.readString(out.files().get(0).local());
        assertThat(json).contains("\n  \"format\"").contains("\"audioSampleRate\"").doesNotContain("null");
        assertThat(JobEventJson.mapper().readValue(json, MediaInfo.class)).isEqualTo(info);
        JsonNode tree = JobEventJson.mapper().readTree(json);
        assertThat(tree.get("streams")).hasSize(3);
        assertThat(tree.get("streams").get(2).get("language").asText()).isEqualTo("fra");
    }
}
