package dev.framewright.api.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Topics;
import dev.framewright.events.rules.JobLimits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code Prefer: wait=N}, inline base64 inputs and {@code start_within_seconds} on the real stack. The projector's part
 * (a job ending) is played by updating the read-model row as it would; system-tests' {@code SubmitAndWaitSystemTest}
 * runs the same with a transcoder.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class SubmitAndWaitTest {

    @Inject
    MediaStore store;

    static String inlineJob(byte[] media, String extra) {
        return """
                {"input": {"base64": "%s", "filename": "tiny.png", "content_type": "image/png"}%s,
                 "outputs": [{"name": "meta", "type": "probe"}]}""".formatted(Base64.getEncoder().encodeToString(media),
                extra);
    }

    /** As the projector folds a terminal event: the row's status and finish time. */
    static void finish(String id, String status) {
        Fixtures.sql("UPDATE jobs SET status = ?, finished_at = now(), updated_at = now() WHERE id = ?", status,
                UUID.fromString(id));
    }

    @Test
    void inlineInputIsStoredSniffedAndPinnedLikeAMultipartFile() throws Exception {
        byte[] media = Fixtures.png();
        Response accepted = given().contentType("application/json").body(inlineJob(media, "")).post("/v1/jobs");
        accepted.then().statusCode(202);
        assertThat(accepted.header("Preference-Applied")).isNull();
        UUID jobId = UUID.fromString(accepted.jsonPath().getString("id"));
        JobRequested requested = (JobRequested) Fixtures.event(Topics.requests("default"), jobId, JobRequested.class);
        assertThat(requested.input().key()).startsWith("uploads/default/");
        assertThat(requested.input().filename()).isEqualTo("tiny.png");
        assertThat(requested.input().contentType()).isEqualTo("image/png");
        assertThat(requested.input().size()).isEqualTo(media.length);
        assertThat(requested.input().etag()).isNotBlank();
        assertThat(requested.startDeadline()).isNull();
        try (InputStream stored = store.open(requested.input().key(), null)) {
            assertThat(stored.readAllBytes()).isEqualTo(media);
        }
        assertThat(accepted.jsonPath().getString("input.filename")).isEqualTo("tiny.png");
    }

    @Test
    void inlineInputWithLineBreaksDecodesAndAnIdempotentRetryGetsTheSameJob() {
        byte[] media = Fixtures.mp4("inline " + UUID.randomUUID());
        String wrapped = Base64.getMimeEncoder(8, "\n".getBytes()).encodeToString(media);
        String body = """
                {"input": {"base64": "%s"}, "outputs": [{"name": "meta", "type": "probe"}]}"""
                .formatted(wrapped.replace("\n", "\\n"));
        String key = UUID.randomUUID().toString();
        Response first = given().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/v1/jobs");
        first.then().statusCode(202);
        Response again = given().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/v1/jobs");
        again.then().statusCode(202).header("Idempotent-Replayed", "true");
        assertThat(again.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
        // No filename or content type given: the defaults of a multipart part without them.
        JobRequested requested = (JobRequested) Fixtures.event(Topics.requests("default"),
                UUID.fromString(first.jsonPath().getString("id")), JobRequested.class);
        assertThat(requested.input().size()).isEqualTo(media.length);
        assertThat(requested.input().contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void invalidBase64IsA400NamingTheField() {
        String body = """
                {"input": {"base64": "iVBOR*w0KGgo="}, "outputs": [{"name": "meta", "type": "probe"}]}""";
        JsonPath problem = given().contentType("application/json").body(body).post("/v1/jobs")
                .then().statusCode(400).extract().jsonPath();
        assertThat(problem.getString("code")).isEqualTo("invalid_spec");
        assertThat(problem.getList("errors.field")).containsExactly("input.base64");
        assertThat(problem.getString("errors[0].message")).contains("not valid base64");

        JsonPath cut = given().contentType("application/json")
                .body("{\"input\": {\"base64\": \"iVBORw0KGgo\"}, \"outputs\": [{\"name\": \"m\", \"type\": \"probe\"}]}")
                .post("/v1/jobs").then().statusCode(400).extract().jsonPath();
        assertThat(cut.getList("errors.field")).containsExactly("input.base64");
    }

    @Test
    void anInlineInputAboveTheCapIsA413AndTextIsA415() {
        byte[] big = new byte[JobLimits.MAX_INLINE_INPUT_BYTES + 1];
        System.arraycopy(Fixtures.png(), 0, big, 0, Fixtures.png().length);
        JsonPath tooLarge = given().contentType("application/json").body(inlineJob(big, "")).post("/v1/jobs")
                .then().statusCode(413).extract().jsonPath();
        assertThat(tooLarge.getString("code")).isEqualTo("payload_too_large");
        assertThat(tooLarge.getList("errors.field")).containsExactly("input.base64");

        byte[] script = "#!/bin/sh\nrm -rf /\n".getBytes();
        JsonPath text = given().contentType("application/json").body(inlineJob(script, "")).post("/v1/jobs")
                .then().statusCode(415).extract().jsonPath();
        assertThat(text.getString("code")).isEqualTo("unsupported_media_type");
    }

    @Test
    void anInlineInputGoesInsteadOfAnUploadIdNotBesideIt() {
        String both = """
                {"upload_id": "%s", "input": {"base64": "%s"}, "outputs": [{"name": "meta", "type": "probe"}]}"""
                .formatted(UUID.randomUUID(), Base64.getEncoder().encodeToString(Fixtures.png()));
        assertThat(given().contentType("application/json").body(both).post("/v1/jobs").then().statusCode(400)
                .extract().jsonPath().getList("errors.field")).containsExactly("input");
        String empty = """
                {"input": {"base64": ""}, "outputs": [{"name": "meta", "type": "probe"}]}""";
        assertThat(given().contentType("application/json").body(empty).post("/v1/jobs").then().statusCode(400)
                .extract().jsonPath().getList("errors.field")).containsExactly("input.base64");
    }

    @Test
    void startWithinSecondsBecomesTheRequestsStartDeadline() {
        Response accepted = given().contentType("application/json")
                .body(inlineJob(Fixtures.png(), ", \"start_within_seconds\": 90")).post("/v1/jobs");
        accepted.then().statusCode(202);
        JobRequested requested = (JobRequested) Fixtures.event(Topics.requests("default"),
                UUID.fromString(accepted.jsonPath().getString("id")), JobRequested.class);
        assertThat(requested.startDeadline()).isCloseTo(requested.time().plusSeconds(90), within(1, ChronoUnit.MILLIS));

        for (String bad : List.of("0", Integer.toString(JobLimits.MAX_START_WITHIN_SECONDS + 1), "\"60\"")) {
            JsonPath problem = given().contentType("application/json")
                    .body(inlineJob(Fixtures.png(), ", \"start_within_seconds\": " + bad)).post("/v1/jobs")
                    .then().statusCode(400).extract().jsonPath();
            assertThat(problem.getList("errors.field")).as(bad).containsExactly("start_within_seconds");
        }
    }

    @Test
    void preferWaitAnswersTheFinishedJobWhenItEndsInTime() {
        long started = System.nanoTime();
        String marker = UUID.randomUUID().toString();
        CompletableFuture<Response> submit = CompletableFuture.supplyAsync(() -> given()
                .contentType("application/json").header("Prefer", "respond-async, wait=10")
                .body(inlineJob(Fixtures.png(), marked(marker))).post("/v1/jobs"));
        String id = awaitSeededJob(marker);
        finish(id, "succeeded");
        Response answer = submit.join();
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        answer.then().statusCode(200);
        assertThat(answer.header("Preference-Applied")).isEqualTo("wait=10");
        assertThat(answer.jsonPath().getString("id")).isEqualTo(id);
        assertThat(answer.jsonPath().getString("status")).isEqualTo("succeeded");
        assertThat(answer.header("Location")).endsWith("/v1/jobs/" + id);
        assertThat(tookMs).isLessThan(8_000);
    }

    @Test
    void preferWaitAboveTheCapIsCutToIt() {
        String marker = UUID.randomUUID().toString();
        CompletableFuture<Response> submit = CompletableFuture.supplyAsync(() -> given()
                .contentType("application/json").header("Prefer", "wait=3600")
                .body(inlineJob(Fixtures.png(), marked(marker))).post("/v1/jobs"));
        finish(awaitSeededJob(marker), "failed");
        Response answer = submit.join();
        answer.then().statusCode(200);
        assertThat(answer.header("Preference-Applied")).isEqualTo("wait=30"); // framewright.limits.max-wait
        assertThat(answer.jsonPath().getString("status")).isEqualTo("failed");
    }

    @Test
    void aJobThatDoesNotEndInTimeIsTheUsual202AfterTheWait() {
        long started = System.nanoTime();
        Response answer = given().contentType("application/json").header("Prefer", "wait=1")
                .body(inlineJob(Fixtures.png(), "")).post("/v1/jobs");
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        answer.then().statusCode(202);
        assertThat(answer.jsonPath().getString("status")).isEqualTo("queued");
        assertThat(answer.header("Preference-Applied")).isEqualTo("wait=1");
        assertThat(tookMs).isBetween(1_000L, 4_000L);

        for (String none : List.of("wait=0", "wait=soon", "handling=lenient")) {
            long t0 = System.nanoTime();
            Response now = given().contentType("application/json").header("Prefer", none)
                    .body(inlineJob(Fixtures.png(), "")).post("/v1/jobs");
            now.then().statusCode(202);
            assertThat(now.header("Preference-Applied")).as(none).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - t0).toMillis()).as(none).isLessThan(1_000);
        }
    }

    @Test
    void anIdempotentReplayWaitsToo() {
        String key = UUID.randomUUID().toString();
        String body = inlineJob(Fixtures.png(), ", \"labels\": {\"k\": \"" + key + "\"}");
        Response first = given().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/v1/jobs");
        first.then().statusCode(202);
        String id = first.jsonPath().getString("id");
        finish(id, "succeeded");
        Response replay = given().contentType("application/json").header("Idempotency-Key", key)
                .header("Prefer", "wait=5").body(body).post("/v1/jobs");
        replay.then().statusCode(200).header("Idempotent-Replayed", "true").header("Preference-Applied", "wait=5");
        assertThat(replay.jsonPath().getString("id")).isEqualTo(id);
        assertThat(replay.jsonPath().getString("status")).isEqualTo("succeeded");
    }

    @Test
    void multipartSubmissionsHonourTheWaitToo() throws Exception {
        String marker = UUID.randomUUID().toString();
        CompletableFuture<Response> submit = CompletableFuture.supplyAsync(() -> given()
                .header("Prefer", "wait=10")
                .multiPart("file", "clip.mp4", Fixtures.mp4("wait " + UUID.randomUUID()), "video/mp4")
                .multiPart("spec", "{\"labels\": {\"marker\": \"" + marker + "\"}, "
                        + "\"outputs\": [{\"name\": \"meta\", \"type\": \"probe\"}]}", "application/json")
                .post("/v1/jobs"));
        finish(awaitSeededJob(marker), "canceled");
        Response answer = submit.join();
        answer.then().statusCode(200).header("Preference-Applied", "wait=10");
        assertThat(answer.jsonPath().getString("status")).isEqualTo("canceled");
    }

    /** The id of the newest job seeded after {@code since} (the submission in flight). */
    private static String marked(String marker) {
        return ", \"labels\": {\"marker\": \"" + marker + "\"}";
    }

    /** The job this test submitted, found by its own marker label once job-api has seeded its row. */
    private static String awaitSeededJob(String marker) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (var c = Fixtures.db(); var s = c.prepareStatement(
                    "SELECT id FROM jobs WHERE labels ->> 'marker' = ? AND status = 'queued'")) {
                s.setString(1, marker);
                try (var rs = s.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
                Thread.sleep(50);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("No job was seeded");
    }
}
