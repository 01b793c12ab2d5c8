package dev.framewright.api.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.framewright.api.retention.RetentionSweeper;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Issue #17: direct uploads above the threshold are S3 multipart uploads, resumable, completed, then pinned. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class MultipartUploadTest {

    private static final long PART = LocalStackResource.PART_BYTES;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    MediaStore store;

    @Inject
    RetentionSweeper sweeper;

    /** An MP4 head, then seeded random bytes: {@code size} bytes in all. */
    private static byte[] media(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        byte[] head = Fixtures.mp4("multipart");
        System.arraycopy(head, 0, bytes, 0, head.length);
        return bytes;
    }

    private static JsonPath ticket(long size) {
        return given().contentType("application/json")
                .body(Map.of("filename", "big.mp4", "content_type", "video/mp4", "size", size))
                .post("/v1/uploads").then().statusCode(201).extract().jsonPath();
    }

    /** PUTs part {@code n} (1-based) of {@code bytes} to its presigned URL, as a client would. */
    private static CompletableFuture<HttpResponse<String>> putPart(Map<String, Object> part, byte[] bytes) {
        int n = (Integer) part.get("part_number");
        long offset = (n - 1) * PART;
        int length = ((Number) part.get("size")).intValue();
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create((String) part.get("url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, (int) offset, length));
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) part.get("headers");
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                put.header(name, value);
            }
        });
        return HTTP.sendAsync(put.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void aMultipartUploadResumesAfterADroppedPartCompletesAndIsUsedByAJobLikeASinglePut() throws Exception {
        int size = (int) (2 * PART + 1024 * 1024 + 123);
        byte[] bytes = media(size, 17);
        JsonPath ticket = ticket(size);
        String id = ticket.getString("upload_id");
        assertThat(ticket.getBoolean("multipart")).isTrue();
        assertThat(ticket.getString("url")).isNull();
        assertThat(ticket.getLong("part_size")).isEqualTo(PART);
        assertThat(ticket.getInt("part_count")).isEqualTo(3);
        List<Map<String, Object>> parts = ticket.getList("parts");
        assertThat(parts).extracting(p -> p.get("part_number")).containsExactly(1, 2, 3);
        assertThat(parts).extracting(p -> ((Number) p.get("size")).longValue())
                .containsExactly(PART, PART, size - 2 * PART);

        // Parts 1 and 3 in parallel; part 2 is "dropped" (the client failed before sending it).
        var one = putPart(parts.get(0), bytes);
        var three = putPart(parts.get(2), bytes);
        assertThat(one.get().statusCode()).as(one.get().body()).isEqualTo(200);
        assertThat(three.get().statusCode()).as(three.get().body()).isEqualTo(200);

        // A part URL is bound to its part's size, like the single PUT.
        byte[] longer = Arrays.copyOf(bytes, size + 1);
        Map<String, Object> longerThree = new java.util.HashMap<>(parts.get(2));
        longerThree.put("size", ((Number) parts.get(2).get("size")).intValue() + 1);
        assertThat(putPart(longerThree, longer).get().statusCode()).isEqualTo(403);

        JsonPath status = given().get("/v1/uploads/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(status.getString("status")).isEqualTo("pending");
        assertThat(status.getList("parts.part_number", Integer.class)).containsExactly(1, 3);
        assertThat(status.getList("missing_parts", Integer.class)).containsExactly(2);

        given().post("/v1/uploads/" + id + "/complete").then().statusCode(409)
                .body("code", equalTo("upload_incomplete")).body("errors[0].field", equalTo("parts[2]"));
        // Not completed, so not usable by a job yet.
        given().contentType("application/json")
                .body("{\"upload_id\": \"" + id + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .post("/v1/jobs").then().statusCode(400).body("code", equalTo("upload_missing"));

        // Resume: a fresh URL for the missing part only.
        List<Map<String, Object>> again = given().post("/v1/uploads/" + id + "/parts?from=2&to=2")
                .then().statusCode(200).extract().jsonPath().getList("parts");
        assertThat(again).extracting(p -> p.get("part_number")).containsExactly(2);
        assertThat(putPart(again.get(0), bytes).get().statusCode()).isEqualTo(200);
        assertThat(given().get("/v1/uploads/" + id).then().extract().jsonPath().getList("missing_parts")).isEmpty();

        JsonPath completed = given().post("/v1/uploads/" + id + "/complete").then().statusCode(200)
                .body("status", equalTo("complete")).extract().jsonPath();
        String key = "uploads/default/" + id;
        var head = store.head(key).orElseThrow();
        assertThat(head.contentLength()).isEqualTo(size);
        assertThat(head.eTag()).matches("\"?[0-9a-f]{32}-3\"?");
        assertThat(completed.getString("etag")).isEqualTo(head.eTag());
        try (InputStream in = store.open(key, null)) {
            assertThat(sha256(in)).isEqualTo(sha256(new java.io.ByteArrayInputStream(bytes)));
        }
        // Completing again answers the same; no more part URLs.
        given().post("/v1/uploads/" + id + "/complete").then().statusCode(200).body("etag", equalTo(head.eTag()));
        given().post("/v1/uploads/" + id + "/parts").then().statusCode(409).body("code", equalTo("upload_completed"));

        var job = given().contentType("application/json")
                .body("{\"upload_id\": \"" + id + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .post("/v1/jobs");
        job.then().statusCode(202);
        UUID jobId = UUID.fromString(job.jsonPath().getString("id"));
        JobRequested requested = (JobRequested) Fixtures.event(Topics.JOB_REQUESTS, jobId, JobRequested.class);
        assertThat(requested.input().key()).isEqualTo(key);
        assertThat(requested.input().size()).isEqualTo(size);
        assertThat(requested.input().etag()).isEqualTo(head.eTag());
        assertThat(given().get("/v1/uploads/" + id).then().extract().jsonPath().getString("status")).isEqualTo("used");
    }

    @Test
    void belowTheThresholdTheSinglePutStaysAndHasNothingToComplete() {
        JsonPath ticket = ticket(LocalStackResource.MULTIPART_ABOVE_BYTES);
        assertThat(ticket.getString("method")).isEqualTo("PUT");
        assertThat(ticket.getString("url")).isNotNull();
        assertThat(ticket.getString("parts")).isNull();
        given().post("/v1/uploads/" + ticket.getString("upload_id") + "/complete").then().statusCode(409)
                .body("code", equalTo("upload_not_multipart"));
        given().post("/v1/uploads/" + UUID.randomUUID() + "/complete").then().statusCode(404);
    }

    @Test
    void partRangesAreCheckedAndAnotherTenantsUploadDoesNotExist() {
        JsonPath ticket = ticket(3 * PART);
        String id = ticket.getString("upload_id");
        given().post("/v1/uploads/" + id + "/parts?from=4").then().statusCode(400).body("code", equalTo("invalid_query"))
                .body("errors[0].field", equalTo("from"));
        given().post("/v1/uploads/" + id + "/parts?from=1&to=" + (UploadResource.MAX_SIGNED_PARTS + 1)).then()
                .statusCode(400).body("errors[0].field", equalTo("to"));
        assertThat(given().post("/v1/uploads/" + id + "/parts?from=2").then().statusCode(200).extract().jsonPath()
                .getList("parts.part_number", Integer.class)).containsExactly(2, 3);
    }

    @Test
    void theSweeperAbortsMultipartUploadsNobodyCompletedWithinTheirTime() throws Exception {
        byte[] bytes = media((int) (2 * PART), 5);
        JsonPath abandoned = ticket(2 * PART);
        JsonPath recent = ticket(2 * PART);
        List<Map<String, Object>> parts = abandoned.getList("parts");
        assertThat(putPart(parts.get(0), bytes).get().statusCode()).isEqualTo(200);
        String abandonedKey = "uploads/default/" + abandoned.getString("upload_id");
        String recentKey = "uploads/default/" + recent.getString("upload_id");
        assertThat(store.openMultiparts(abandonedKey)).hasSize(1);
        String s3UploadId = store.openMultiparts(abandonedKey).get(0).uploadId();
        assertThat(store.listParts(abandonedKey, s3UploadId).orElseThrow()).hasSize(1);
        Fixtures.sql("UPDATE uploads SET created_at = now() - interval '25 hours' WHERE id = ?",
                UUID.fromString(abandoned.getString("upload_id")));

        assertThat(sweeper.abortAbandonedUploads()).isGreaterThanOrEqualTo(1);

        assertThat(store.openMultiparts(abandonedKey)).isEmpty();
        // S3 answers NoSuchUpload, S3Proxy an empty listing: either way no part is left.
        assertThat(store.listParts(abandonedKey, s3UploadId).orElse(List.of())).isEmpty();
        given().get("/v1/uploads/" + abandoned.getString("upload_id")).then().statusCode(404);
        // One within its time stays.
        assertThat(store.openMultiparts(recentKey)).hasSize(1);
        given().get("/v1/uploads/" + recent.getString("upload_id")).then().statusCode(200)
                .body("status", equalTo("pending"));
    }

    @Test
    void theSweeperAlsoAbortsMultipartUploadsNoRowKnowsByTheirInitiationTime() {
        // As a job-api killed while streaming a large multipart POST /v1/jobs file would leave it.
        String key = "uploads/default/" + UUID.randomUUID();
        store.createMultipart(key, "video/mp4");
        var open = store.openMultiparts(key);
        assertThat(open).hasSize(1);
        assertThat(open.get(0).initiated()).as("the store reports when it was initiated").isNotNull();
        // Within its time it stays ...
        sweeper.abortOrphanedMultiparts(java.time.Instant.now().minus(java.time.Duration.ofHours(1)));
        assertThat(store.openMultiparts(key)).hasSize(1);
        // ... past it, it goes.
        assertThat(sweeper.abortOrphanedMultiparts(java.time.Instant.now().plusSeconds(60))).isGreaterThanOrEqualTo(1);
        assertThat(store.openMultiparts(key)).isEmpty();
    }
}
