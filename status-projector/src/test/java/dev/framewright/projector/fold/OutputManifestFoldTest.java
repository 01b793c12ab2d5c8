package dev.framewright.projector.fold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.HlsOutput;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobRequested;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputManifest;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An output with more files than its terminal event lists keeps its count and manifest in the read model. */
class OutputManifestFoldTest {

    @Test
    void theFileCountAndManifestOfALongOutputReachTheRowAndSurviveItsJson() throws Exception {
        UUID jobId = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        JobRequested requested = new JobRequested(UUID.randomUUID(), jobId, "acme", 0, t0, "default",
                new InputObject("uploads/acme/x", "film.mp4", "video/mp4", 10), List.of(new HlsOutput("hls", null, null)),
                Map.of(), null, null, null, false);
        OutputFile master = new OutputFile("master.m3u8", "jobs/" + jobId + "/hls/master.m3u8", 100,
                "application/vnd.apple.mpegurl");
        String manifest = OutputManifest.key(jobId, "hls");
        JobRow row = JobFold.newRow(requested);
        JobFold.apply(row, requested);
        JobFold.apply(row, new JobCompleted(UUID.randomUUID(), jobId, "acme", 1, t0.plusSeconds(9), null,
                List.of(new OutputResult("hls", OutputType.HLS, List.of(master), null, 63_001, manifest))));

        OutputState out = row.outputs.get(0);
        assertThat(out.status()).isEqualTo("succeeded");
        assertThat(out.files()).containsExactly(master);
        assertThat(out.fileCount()).isEqualTo(63_001);
        assertThat(out.manifest()).isEqualTo(manifest);
        // The jsonb column round trip (job-api reads the same shape).
        OutputState read = JobEventJson.mapper().readValue(JobEventJson.mapper().writeValueAsBytes(out),
                OutputState.class);
        assertThat(read).isEqualTo(out);
        assertThat(read.withProgress(100).manifest()).isEqualTo(manifest);
    }
}
