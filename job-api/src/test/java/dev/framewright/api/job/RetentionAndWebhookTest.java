package dev.framewright.api.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.framewright.api.retention.RetentionSweeper;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.JobExpired;
import dev.framewright.events.OutputFile;
import dev.framewright.events.Topics;
import dev.framewright.events.VideoOutput;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class RetentionAndWebhookTest {

    @Inject
    MediaStore store;

    @Inject
    RetentionSweeper sweeper;

    @Test
    void expiredJobsLoseTheirObjectsPublishJobExpiredAndAnswerGone() throws Exception {
        UUID due = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        UUID running = UUID.randomUUID();
        Instant past = Instant.now().minus(1, ChronoUnit.HOURS);
        for (UUID id : List.of(due, kept, running)) {
            store.putBytes("jobs/" + id + "/web/video.mp4", new byte[] {1, 2, 3}, "video/mp4");
            store.putBytes("jobs/" + id + "/_control/attempts", "{}".getBytes(), "application/json");
            Jobs.insert(id, "default", id == running ? "running" : "succeeded", "default", Map.of(), 1, past,
                    List.of(Jobs.output(VideoOutput.of("web", 640, null), "succeeded",
                            List.of(new OutputFile("video.mp4", "jobs/" + id + "/web/video.mp4", 3, "video/mp4")))),
                    id == kept ? Instant.now().plus(1, ChronoUnit.HOURS) : past, null, null);
        }
        String input = inputKey(due);
        store.putBytes(input, new byte[] {9}, "video/mp4");
        given().get("/v1/jobs/" + due + "/outputs/web").then().statusCode(200);

        assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(1);

        assertThat(store.head(input)).isEmpty();
        assertThat(store.head("jobs/" + due + "/web/video.mp4")).isEmpty();
        assertThat(store.head("jobs/" + due + "/_control/attempts")).isEmpty();
        JobExpired expired = (JobExpired) Fixtures.event(Topics.JOB_LIFECYCLE, due, JobExpired.class);
        assertThat(expired.attempt()).isEqualTo(1);
        given().get("/v1/jobs/" + due + "/outputs/web").then().statusCode(410).body("code", equalTo("expired"));
        assertThat(given().get("/v1/jobs/" + due).jsonPath().getString("expired_at")).isNotNull();
        // Not yet due, or not finished: untouched.
        assertThat(store.head("jobs/" + kept + "/web/video.mp4")).isPresent();
        assertThat(store.head("jobs/" + running + "/web/video.mp4")).isPresent();
        // A second sweep finds nothing more to do for it.
        sweeper.sweep();
        assertThat(Fixtures.events(Topics.JOB_LIFECYCLE, e -> e.jobId().equals(due), 1, java.time.Duration.ofSeconds(5)))
                .hasSize(1);
    }

    private static String inputKey(UUID id) throws Exception {
        try (var c = Fixtures.db(); var s = c.prepareStatement("SELECT input ->> 'key' FROM jobs WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void deliveriesAreShownAndTheLatestIsRedelivered() {
        UUID id = Jobs.insert("default", "failed", "default", Map.of(), 1, Instant.now(), List.of(), null, null,
                "https://hooks.example.com/fw");
        Timestamp past = Timestamp.from(Instant.now().minus(2, ChronoUnit.DAYS));
        for (String type : List.of("framewright.job.started.v1", "framewright.job.failed.v1")) {
            Fixtures.sql("""
                    INSERT INTO webhook_deliveries (job_id, tenant, event_id, event_type, url, body, status, attempts,
                                                    next_attempt_at, give_up_at, last_status, created_at)
                    VALUES (?, 'default', ?, ?, 'https://hooks.example.com/fw', '{}'::jsonb, 'failed', 2, ?, ?, 500, ?)""",
                    id, UUID.randomUUID(), type, past, past, past);
        }
        Fixtures.sql("""
                INSERT INTO webhook_attempts (delivery_id, attempt, at, status, error, duration_ms)
                SELECT id, n, created_at, 500, 'server error', 12 FROM webhook_deliveries, generate_series(1, 2) n
                WHERE job_id = ?""", id);

        JsonPath job = given().get("/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(job.getList("webhook.deliveries.event_type")).containsExactly("framewright.job.started.v1",
                "framewright.job.failed.v1");
        assertThat(job.getList("webhook.deliveries[1].history.status")).containsExactly(500, 500);

        given().post("/v1/jobs/" + id + "/webhook/redeliver").then().statusCode(202)
                .body("event_type", equalTo("framewright.job.failed.v1")).body("status", equalTo("pending"));
        JsonPath after = given().get("/v1/jobs/" + id).jsonPath();
        assertThat(after.getList("webhook.deliveries.status")).containsExactly("failed", "pending");
        assertThat(Instant.parse(after.getString("webhook.deliveries[1].next_attempt_at")))
                .isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));

        UUID none = Jobs.insert("failed", List.of());
        given().post("/v1/jobs/" + none + "/webhook/redeliver").then().statusCode(404)
                .body("code", equalTo("no_webhook_deliveries"));
    }
}
