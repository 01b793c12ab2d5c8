package dev.framewright.api.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class IdempotencyTest {

    private static final String SPEC = "{\"outputs\": [{\"name\": \"meta\", \"type\": \"probe\"}], \"labels\": {\"k\": \"v\"}}";

    private static Response submit(String key, byte[] media, String spec) {
        return given().header("Idempotency-Key", key)
                .multiPart("file", "clip.mp4", media, "video/mp4")
                .multiPart("spec", spec, "application/json")
                .post("/v1/jobs");
    }

    @Test
    void sameKeyAndBodyReturnsTheSameJobAndADifferentBodyConflicts() {
        String key = "key-" + UUID.randomUUID();
        Response first = submit(key, Fixtures.mp4("media one"), SPEC);
        first.then().statusCode(202);
        Response again = submit(key, Fixtures.mp4("media one"), SPEC);
        again.then().statusCode(202).header("Idempotent-Replayed", "true");
        assertThat(again.asString()).isEqualTo(first.asString());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));

        // Same spec, other media: a different request.
        submit(key, Fixtures.mp4("media two"), SPEC).then().statusCode(409).body("code", equalTo("idempotency_key_reused"));
        // Same media, other spec (key order does not matter, content does).
        submit(key, Fixtures.mp4("media one"), "{\"labels\": {\"k\": \"v\"}, \"outputs\": [{\"type\": \"probe\", \"name\": \"meta\"}]}")
                .then().statusCode(202).header("Idempotent-Replayed", "true");
        submit(key, Fixtures.mp4("media one"), SPEC.replace("\"v\"", "\"w\"")).then().statusCode(409);

        UUID jobId = UUID.fromString(first.jsonPath().getString("id"));
        assertThat(Fixtures.events(Topics.JOB_REQUESTS, e -> e.jobId().equals(jobId), 1, Duration.ofSeconds(15)))
                .hasSize(1);
        given().header("Idempotency-Key", "has spaces in it").multiPart("file", "a", Fixtures.mp4("a"))
                .multiPart("spec", SPEC).post("/v1/jobs").then().statusCode(400)
                .body("code", equalTo("invalid_idempotency_key"));
    }

    @Test
    void aJsonSubmissionReplaysAndItsUploadStaysTheFirstJobs() throws Exception {
        String upload = SubmitTest.upload("clip.mp4", "video/mp4", Fixtures.mp4("json idempotent"));
        String body = "{\"upload_id\": \"" + upload + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}";
        String key = "key-" + UUID.randomUUID();
        Response first = given().header("Idempotency-Key", key).contentType("application/json").body(body).post("/v1/jobs");
        first.then().statusCode(202);
        // The replay wins over "upload used": the upload is the first request's job's.
        Response again = given().header("Idempotency-Key", key).contentType("application/json").body(body).post("/v1/jobs");
        again.then().statusCode(202).header("Idempotent-Replayed", "true");
        assertThat(again.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
        // Another key is another job, and the upload is used.
        given().header("Idempotency-Key", key + "-other").contentType("application/json").body(body).post("/v1/jobs")
                .then().statusCode(409).body("code", equalTo("upload_used"));
        UUID jobId = UUID.fromString(first.jsonPath().getString("id"));
        assertThat(Fixtures.events(Topics.JOB_REQUESTS, e -> e.jobId().equals(jobId), 1, Duration.ofSeconds(15)))
                .hasSize(1);
    }

    @Test
    void aRetryAfterA503WhosePublishMayStillLandGetsThatSameJob() throws Exception {
        String run = UUID.randomUUID().toString();
        String spec = SPEC.replace("\"v\"", "\"" + run + "\"");
        String key = "outage-" + run;
        byte[] media = Fixtures.mp4("outage " + run);
        LocalStackResource.stack().stopKafka();
        Response refused;
        try {
            refused = submit(key, media, spec);
        } finally {
            LocalStackResource.stack().startKafka();
        }
        refused.then().statusCode(503).body("code", equalTo("broker_unavailable"));
        assertThat(refused.jsonPath().getString("detail")).contains("same Idempotency-Key");
        // The key stays reserved for the job whose publish timed out, with the event as it was sent.
        UUID reserved;
        String pending;
        try (var c = Fixtures.db(); var s = c.prepareStatement(
                "SELECT job_id, pending_event FROM idempotency_keys WHERE tenant = 'default' AND key = ?")) {
            s.setString(1, key);
            try (var rs = s.executeQuery()) {
                assertThat(rs.next()).as("the key is still reserved").isTrue();
                reserved = rs.getObject("job_id", UUID.class);
                pending = rs.getString("pending_event");
            }
        }
        assertThat(pending).isNotNull();
        // The timed-out record lands late (as the producer's own retries can make it): here, on purpose.
        JobRequested late = JobEventJson.read(pending.getBytes(java.nio.charset.StandardCharsets.UTF_8), JobRequested.class);
        assertThat(late.jobId()).isEqualTo(reserved);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, JobEvent>(
                java.util.Map.<String, Object>of("bootstrap.servers", LocalStackResource.stack().kafkaBootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(), new dev.framewright.events.JobEventSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.JOB_REQUESTS,
                    late.jobId().toString(), late)).get();
        }

        Response retried = null;
        for (int i = 0; i < 60 && (retried == null || retried.statusCode() == 503); i++) {
            if (retried != null) {
                Thread.sleep(500);
            }
            retried = submit(key, media, spec);
        }
        retried.then().statusCode(202);
        UUID jobId = UUID.fromString(retried.jsonPath().getString("id"));
        assertThat(jobId).isEqualTo(reserved);
        // Every JobRequested of this run is the same event of the same job, however often it reached the topic.
        List<JobEvent> published = Fixtures.events(Topics.JOB_REQUESTS,
                e -> e instanceof JobRequested r && run.equals(r.labels().get("k")), 1, Duration.ofSeconds(20));
        assertThat(published).hasSizeGreaterThanOrEqualTo(2).allMatch(e -> e.jobId().equals(jobId))
                .extracting(JobEvent::eventId).containsOnly(published.get(0).eventId());
        try (var c = Fixtures.db(); var s = c.prepareStatement("SELECT count(*) FROM jobs WHERE labels ->> 'k' = ?")) {
            s.setString(1, run);
            try (var rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
        // And the key now replays the accepted job.
        submit(key, media, spec).then().statusCode(202).header("Idempotent-Replayed", "true")
                .body("id", equalTo(jobId.toString()));
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneJob() throws Exception {
        String key = "race-" + UUID.randomUUID();
        byte[] media = Fixtures.mp4("racing media " + key);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(() -> submit(key, media, SPEC));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Response> f : pool.invokeAll(calls)) {
                Response response = f.get();
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
                ids.add(response.jsonPath().getString("id"));
            }
            assertThat(ids).hasSize(1);
            UUID jobId = UUID.fromString(ids.iterator().next());
            List<JobEvent> published = Fixtures.events(Topics.JOB_REQUESTS, e -> e.jobId().equals(jobId), 1,
                    Duration.ofSeconds(15));
            assertThat(published).hasSize(1).allMatch(JobRequested.class::isInstance);
        } finally {
            pool.shutdownNow();
        }
    }
}
