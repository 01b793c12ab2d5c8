package dev.framewright.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.framewright.localstack.ServiceProcess;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The services' Prometheus endpoints on the running system: one job (submitted twice with the same Idempotency-Key,
 * on the express queue no other test uses) and one rejected spec move every counter by exactly their worth, with
 * bounded labels; Kafka consumer lag is exported.
 */
class ObservabilityTest extends SystemTest {

    private static final String REQUESTS = "framewright.job-requests.express.v1";
    private static final String LIFECYCLE = "framewright.job-lifecycle.v1";

    @Test
    void oneJobMovesEveryServicesCountersByItsWorth() throws Exception {
        Path clip = Media.clip(media, 320, 240, 1);
        awaitIdle();
        String api0 = scrape(RunningSystem.get().api());
        String transcoder0 = scrape(RunningSystem.get().transcoder());
        String projector0 = scrape(RunningSystem.get().projector());

        String spec = """
                {"queue":"express","outputs":[{"name":"small","type":"video","width":160},
                                               {"name":"thumb","type":"image","width":64,"height":64}]}""";
        String key = "observability-" + System.nanoTime();
        Response first = given().header("Idempotency-Key", key).multiPart("file", clip.toFile(), "video/mp4")
                .multiPart("spec", spec, "application/json").when().post("/v1/jobs");
        first.then().statusCode(202);
        given().header("Idempotency-Key", key).multiPart("file", clip.toFile(), "video/mp4")
                .multiPart("spec", spec, "application/json").when().post("/v1/jobs")
                .then().statusCode(202).header("Idempotent-Replayed", "true");
        Jobs.submit(clip, "video/mp4", "{\"outputs\":[]}").then().statusCode(400);
        String id = first.jsonPath().getString("id");
        assertThat(Jobs.awaitTerminal(id).getString("status")).isEqualTo("succeeded");
        // The projector folded the terminal event (the job document says so); the transcoder counts right after.
        await().atMost(Duration.ofSeconds(10)).until(() -> delta(transcoder0,
                scrape(RunningSystem.get().transcoder()), "framewright_transcoder_jobs_finished_total",
                "code=\"none\",outcome=\"succeeded\",queue=\"express\"") == 1);

        String api = scrape(RunningSystem.get().api());
        assertThat(delta(api0, api, "framewright_jobs_submitted_total", "queue=\"express\",tenant=\"other\""))
                .isEqualTo(1);
        assertThat(delta(api0, api, "framewright_jobs_idempotent_replays_total", "")).isEqualTo(1);
        assertThat(delta(api0, api, "framewright_api_problems_total", "code=\"invalid_spec\",status=\"400\""))
                .isEqualTo(1);
        assertThat(delta(api0, api, "http_server_requests_seconds_count",
                "method=\"POST\",outcome=\"SUCCESS\",status=\"202\",uri=\"/v1/jobs\"")).isEqualTo(2);
        assertThat(api).containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/v1/jobs\"");
        assertThat(api).contains("kafka_producer_");
        assertThat(api).doesNotContain(id);

        String transcoder = scrape(RunningSystem.get().transcoder());
        assertThat(delta(transcoder0, transcoder, "framewright_transcoder_jobs_started_total", "queue=\"express\""))
                .isEqualTo(1);
        assertThat(delta(transcoder0, transcoder, "framewright_outputs_total", "outcome=\"succeeded\",type=\"video\""))
                .isEqualTo(1);
        assertThat(delta(transcoder0, transcoder, "framewright_outputs_total", "outcome=\"succeeded\",type=\"image\""))
                .isEqualTo(1);
        assertThat(delta(transcoder0, transcoder, "framewright_outputs_total", "outcome=\"failed\",type=\"video\""))
                .isZero();
        assertThat(delta(transcoder0, transcoder, "framewright_transcoder_output_processing_seconds_count",
                "type=\"video\"")).isEqualTo(1);
        assertThat(delta(transcoder0, transcoder, "framewright_transcoder_queue_wait_seconds_count",
                "queue=\"express\"")).isEqualTo(1);
        assertThat(value(transcoder, "framewright_transcoder_slots", "")).isEqualTo(1);
        assertThat(value(transcoder, "framewright_transcoder_slots_busy", "")).isZero();
        // Micrometer binds Kafka client metrics that appear after the consumer started (the fetch manager's lag, once
        // partitions are fetched) on its next scan, up to a minute later: a transcoder restarted by an earlier test
        // may not show it yet.
        await().atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofSeconds(1)).until(
                () -> scrape(RunningSystem.get().transcoder()),
                t -> java.util.regex.Pattern.compile("kafka_consumer_fetch_manager_records_lag(_max)?\\{").matcher(t).find());
        assertThat(transcoder).doesNotContain(id);

        String projector = await().atMost(Duration.ofSeconds(10)).until(
                () -> scrape(RunningSystem.get().projector()), p -> delta(projector0, p,
                        "framewright_projector_events_total", lifecycle("framewright.job.completed.v1")) >= 1);
        assertThat(delta(projector0, projector, "framewright_projector_events_total",
                "topic=\"" + REQUESTS + "\",type=\"framewright.job.requested.v1\"")).isEqualTo(1);
        assertThat(delta(projector0, projector, "framewright_projector_events_total",
                lifecycle("framewright.job.started.v1"))).isEqualTo(1);
        assertThat(delta(projector0, projector, "framewright_projector_events_total",
                lifecycle("framewright.job.completed.v1"))).isEqualTo(1);
        assertThat(delta(projector0, projector, "framewright_projector_fold_batch_size_count", "")).isPositive();
        assertThat(value(projector, "framewright_projector_lag_seconds", "topic=\"" + REQUESTS + "\""))
                .isBetween(0.0, 60.0);
        assertThat(projector).contains("framewright_projector_lag_seconds{topic=\"" + LIFECYCLE + "\"}");
        assertThat(projector).contains("framewright_webhook_due ", "framewright_webhook_oldest_due_age_seconds ");
        assertThat(projector).containsPattern("kafka_consumer_fetch_manager_records_lag(_max)?\\{");
    }

    private static String lifecycle(String type) {
        return "topic=\"" + LIFECYCLE + "\",type=\"" + type + "\"";
    }

    /** Jobs of earlier tests are done: nothing runs, nothing waits. */
    private static void awaitIdle() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String t = scrape(RunningSystem.get().transcoder());
            return value(t, "framewright_transcoder_slots_busy", "") == 0;
        });
    }

    private static String scrape(ServiceProcess service) {
        return given().baseUri(service.baseUrl()).when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sample {@code name{labels}} (labels exactly, in Prometheus' sorted order); 0 when absent. */
    private static double value(String scrape, String name, String labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name)
                + (labels.isEmpty() ? "" : Pattern.quote("{" + labels + "}")) + " ([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static double delta(String before, String after, String name, String labels) {
        return value(after, name, labels) - value(before, name, labels);
    }
}
