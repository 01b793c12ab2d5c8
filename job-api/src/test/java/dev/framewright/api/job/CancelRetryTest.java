package dev.framewright.api.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.AudioOutput;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.JobCanceled;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobRequested;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.ProbeOutput;
import dev.framewright.events.Topics;
import dev.framewright.events.VideoOutput;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class CancelRetryTest {

    @Inject
    MediaStore store;

    private JsonNode cancelObject(UUID id) throws Exception {
        try (var in = store.open(MediaStore.cancelKey(id), null)) {
            assertThat(in).as("cancel object of " + id).isNotNull();
            return JobEventJson.mapper().readTree(in);
        }
    }

    @Test
    void cancelingAQueuedJobPublishesJobCanceledAndWritesTheCancelObject() throws Exception {
        UUID id = Jobs.insert("default", "queued", "default", Map.of(), 0, Instant.now(), List.of(), null, null, null);
        given().delete("/v1/jobs/" + id).then().statusCode(202).body("id", equalTo(id.toString()));
        JsonNode cancel = cancelObject(id);
        assertThat(cancel.get("terminalEmitted").asBoolean()).isTrue();
        assertThat(Instant.parse(cancel.get("requestedAt").asText())).isBeforeOrEqualTo(Instant.now());
        JobCanceled canceled = (JobCanceled) Fixtures.event(Topics.JOB_LIFECYCLE, id, JobCanceled.class);
        assertThat(canceled.tenant()).isEqualTo("default");
        assertThat(canceled.attempt()).isZero();
    }

    @Test
    void cancelingARunningJobLeavesTheTerminalEventToTheWorker() throws Exception {
        UUID id = Jobs.insert("default", "running", "default", Map.of(), 2, Instant.now(), List.of(), null, null, null);
        given().delete("/v1/jobs/" + id).then().statusCode(202);
        assertThat(cancelObject(id).get("terminalEmitted").asBoolean()).isFalse();
    }

    @Test
    void finishedJobsCannotBeCanceled() {
        for (String status : List.of("succeeded", "failed", "canceled")) {
            UUID id = Jobs.insert(status, List.of());
            given().delete("/v1/jobs/" + id).then().statusCode(409).body("code", equalTo("job_finished"));
            assertThat(store.head(MediaStore.cancelKey(id))).isEmpty();
        }
    }

    @Test
    void retryRepublishesTheFailedOutputsOrAll() {
        OutputSpec video = VideoOutput.of("web", 640, null);
        OutputSpec still = ImageOutput.of("still", 320, null);
        OutputSpec audio = new AudioOutput("sound", AudioOutput.Codec.MP3, 192);
        UUID id = Jobs.insert("default", "failed", "express", Map.of("k", "v"), 3, Instant.now(), List.of(
                Jobs.output(video, "succeeded", List.of(new OutputFile("video.mp4", "jobs/x/web/video.mp4", 1, "video/mp4"))),
                Jobs.output(still, "failed", List.of()),
                Jobs.output(audio, "failed", List.of())), Instant.now().plusSeconds(3600), null, null);
        // Canceled a moment ago by an instance whose clock runs ahead: the retry is still timed after it.
        Instant canceledAt = Instant.now().plusSeconds(5);
        store.putBytes(MediaStore.cancelKey(id), ("{\"requestedAt\": \"" + canceledAt + "\", \"terminalEmitted\": true}")
                .getBytes(), "application/json");

        given().post("/v1/jobs/" + id + "/retry").then().statusCode(202);
        JobRequested retry = (JobRequested) Fixtures.event(Topics.requests("express"), id, JobRequested.class);
        assertThat(retry.retry()).isTrue();
        assertThat(retry.attempt()).isEqualTo(3);
        assertThat(retry.outputs()).containsExactly(still, audio);
        assertThat(retry.labels()).isEqualTo(Map.of("k", "v"));
        assertThat(retry.input().key()).startsWith("uploads/default/");
        // The cancel object stays (older requests still queued stay canceled) and does not apply to the retry: the
        // transcoder honours a cancel only for requests made up to it.
        assertThat(store.head(MediaStore.cancelKey(id))).isPresent();
        assertThat(retry.time()).isAfter(canceledAt);

        given().contentType("application/json").body("{\"all\": true}").post("/v1/jobs/" + id + "/retry").then().statusCode(202);
        List<OutputSpec> all = Fixtures.events(Topics.requests("express"),
                e -> e.jobId().equals(id) && e instanceof JobRequested r && r.outputs().size() == 3, 1,
                java.time.Duration.ofSeconds(15)).stream().map(e -> ((JobRequested) e).outputs()).findFirst().orElseThrow();
        assertThat(all).containsExactly(video, still, audio);
    }

    @Test
    void onlyFailedOrCanceledJobsAreRetried() {
        UUID running = Jobs.insert("running", List.of(Jobs.output(new ProbeOutput("meta"), "running", List.of())));
        given().post("/v1/jobs/" + running + "/retry").then().statusCode(409).body("code", equalTo("job_not_retryable"));
        UUID done = Jobs.insert("succeeded", List.of(Jobs.output(new ProbeOutput("meta"), "succeeded", List.of())));
        given().post("/v1/jobs/" + done + "/retry").then().statusCode(409);
        UUID expired = Jobs.insert("default", "failed", "default", Map.of(), 1, Instant.now(),
                List.of(Jobs.output(new ProbeOutput("meta"), "failed", List.of())), Instant.now(), Instant.now(), null);
        given().post("/v1/jobs/" + expired + "/retry").then().statusCode(410).body("code", equalTo("expired"));
    }
}
