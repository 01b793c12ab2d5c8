package dev.framewright.api.tenant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.framewright.api.job.StoredOutput;
import dev.framewright.api.limits.QueueDepthGuard;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.ProbeOutput;
import dev.framewright.events.Topics;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = AuthStackResource.class, restrictToAnnotatedClass = true)
class AuthApiTest {

    /** These tests choose their own Authorization header, or none: no default key. */
    @org.junit.jupiter.api.BeforeEach
    void noDefaultKey() {
        io.restassured.RestAssured.replaceFiltersWith(java.util.List.of());
    }

    @org.junit.jupiter.api.AfterEach
    void defaultKeyForTheOtherTests() {
        dev.framewright.api.testing.Fixtures.useDevKey();
    }


    static final String SPEC = "{\"outputs\":[{\"name\":\"still\",\"type\":\"image\",\"width\":32}]}";

    @Inject
    AgroalDataSource db;
    @Inject
    QueueDepthGuard queueDepth;
    @Inject
    MediaStore store;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;
    @TestHTTPResource("/v1/jobs")
    URI jobsUri;

    @Test
    void aRequestWithoutAKeyIsUnauthorized() {
        given().get("/v1/jobs/" + UUID.randomUUID())
                .then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/problem+json")
                .body("code", is("unauthorized"));
        // Unknown paths under /v1 too: a stranger learns nothing about what exists.
        given().get("/v1/nothing-here").then().statusCode(401).body("code", is("unauthorized"));
        given().header("Authorization", "Basic ZGVmYXVsdDpwYXNz").get("/v1/jobs/" + UUID.randomUUID())
                .then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void anUnknownOrMalformedKeyIsUnauthorized() {
        for (String key : List.of("fw_dev_local_development_key_0000000002", "not-a-key", AuthStackResource.DEV_KEY + "x")) {
            given().auth().oauth2(key).get("/v1/jobs/" + UUID.randomUUID())
                    .then().statusCode(401).contentType("application/problem+json").body("code", is("unauthorized"));
        }
    }

    @Test
    void theDevKeyReadsItsTenantsJobs() throws SQLException {
        UUID id = UUID.randomUUID();
        insertJob(id, "default", "succeeded");
        given().auth().oauth2(AuthStackResource.DEV_KEY).get("/v1/jobs/" + id)
                .then().statusCode(200).body("id", is(id.toString())).body("status", is("succeeded"));
        // Authenticated: a missing job is a 404 problem, not a 401.
        given().auth().oauth2(AuthStackResource.DEV_KEY).get("/v1/jobs/" + UUID.randomUUID())
                .then().statusCode(404).body("code", is("not_found"));
    }

    @Test
    void healthNeedsNoKey() {
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aRevokedKeyStopsWorkingWithinTheCacheTtl() throws Exception {
        String key = AuthStackResource.REVOKED_KEY;
        given().auth().oauth2(key).get("/v1/jobs/" + UUID.randomUUID()).then().statusCode(404);
        try (Connection c = db.getConnection();
                PreparedStatement revoke = c.prepareStatement("UPDATE api_keys SET revoked_at = now() WHERE hash = ?")) {
            revoke.setString(1, ApiKeys.hash(key));
            assertThat(revoke.executeUpdate()).isEqualTo(1);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status;
        do {
            Thread.sleep(250);
            status = given().auth().oauth2(key).get("/v1/jobs/" + UUID.randomUUID()).statusCode();
        } while (status != 401 && System.nanoTime() < deadline);
        assertThat(status).as("refused within the 2 s cache TTL").isEqualTo(401);
        try (Connection c = db.getConnection();
                PreparedStatement used = c.prepareStatement("SELECT last_used_at FROM api_keys WHERE hash = ?")) {
            used.setString(1, ApiKeys.hash(key));
            var rows = used.executeQuery();
            assertThat(rows.next()).isTrue();
            assertThat(rows.getTimestamp(1)).as("last_used_at recorded").isNotNull();
        }
    }

    @Test
    void aTenantOverItsBurstIsRateLimitedWithRetryAfter() throws Exception {
        setTenantLimits("UPDATE tenants SET requests_per_second = 1, burst = 3 WHERE id = 'burst'");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(AuthStackResource.BURST_KEY).get("/v1/jobs/" + UUID.randomUUID()).then().statusCode(404);
        }
        Response limited = given().auth().oauth2(AuthStackResource.BURST_KEY).get("/v1/jobs/" + UUID.randomUUID());
        limited.then().statusCode(429).contentType("application/problem+json").body("code", is("rate_limited"));
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 2);
        // Other tenants are not affected.
        given().auth().oauth2(AuthStackResource.DEV_KEY).get("/v1/jobs/" + UUID.randomUUID()).then().statusCode(404);
        Thread.sleep(Integer.parseInt(limited.header("Retry-After")) * 1000L + 100);
        given().auth().oauth2(AuthStackResource.BURST_KEY).get("/v1/jobs/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void aTextFileNamedMp4IsUnsupported() {
        given().auth().oauth2(AuthStackResource.DEV_KEY)
                .multiPart("file", "clip.mp4", "#EXTM3U\n#EXTINF:10,\nhttp://169.254.169.254/\n".getBytes(StandardCharsets.UTF_8), "video/mp4")
                .multiPart("spec", SPEC)
                .post("/v1/jobs")
                .then().statusCode(415).contentType("application/problem+json").body("code", is("unsupported_media_type"));
        given().auth().oauth2(AuthStackResource.DEV_KEY)
                .multiPart("file", "empty.mp4", new byte[0], "video/mp4")
                .multiPart("spec", SPEC)
                .post("/v1/jobs")
                .then().statusCode(400).body("code", is("empty_upload"));
    }

    @Test
    void aTenantAtItsQueuedJobCapGets429() throws Exception {
        setTenantLimits("UPDATE tenants SET max_queued_jobs = 2 WHERE id = 'capped'");
        insertJob(UUID.randomUUID(), "capped", "queued");
        insertJob(UUID.randomUUID(), "capped", "running");
        insertJob(UUID.randomUUID(), "capped", "succeeded"); // finished jobs do not count
        Response refused = submitPng(AuthStackResource.CAPPED_KEY);
        refused.then().statusCode(429).contentType("application/problem+json").body("code", is("too_many_queued_jobs"));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isGreaterThanOrEqualTo(1);

        setTenantLimits("UPDATE tenants SET max_queued_jobs = 3 WHERE id = 'capped'");
        assertThat(submitPng(AuthStackResource.CAPPED_KEY).statusCode()).isNotEqualTo(429);
    }

    @Test
    void aRetryPassesTheSameAdmissionAsANewJobAndARefusedOneLeavesTheCancelObject() throws Exception {
        setTenantLimits("UPDATE tenants SET max_queued_jobs = 1 WHERE id = 'capped'");
        UUID queued = UUID.randomUUID();
        insertJob(queued, "capped", "queued");
        UUID canceled = UUID.randomUUID();
        String outputs = JobEventJson.mapper().writeValueAsString(List.of(new StoredOutput("meta", "probe",
                "canceled", new ProbeOutput("meta"), 0.0, List.of(), null, null)));
        String input = JobEventJson.mapper().writeValueAsString(
                new InputObject("uploads/capped/" + UUID.randomUUID(), "a.png", "image/png", 10));
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO jobs (id, tenant, status, queue, labels, attempt, progress_percent, progress_stage, input,
                                  outputs, expires_at, created_at, updated_at)
                VALUES (?, 'capped', 'canceled', 'default', '{}'::jsonb, 0, 0, 'canceled', ?::jsonb, ?::jsonb,
                        now() + interval '1 day', now(), now())""")) {
            s.setObject(1, canceled);
            s.setString(2, input);
            s.setString(3, outputs);
            s.executeUpdate();
        }
        String cancelKey = MediaStore.cancelKey(canceled);
        store.putBytes(cancelKey, ("{\"requestedAt\": \"" + Instant.now() + "\", \"terminalEmitted\": true}")
                .getBytes(StandardCharsets.UTF_8), "application/json");
        try {
            Response refused = given().auth().oauth2(AuthStackResource.CAPPED_KEY)
                    .post("/v1/jobs/" + canceled + "/retry");
            refused.then().statusCode(429).contentType("application/problem+json")
                    .body("code", is("too_many_queued_jobs"));
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isGreaterThanOrEqualTo(1);
            // Nothing changed: the canceled request stays canceled.
            assertThat(store.head(cancelKey)).isPresent();
            given().auth().oauth2(AuthStackResource.CAPPED_KEY).get("/v1/jobs/" + canceled).then().statusCode(200)
                    .body("status", is("canceled"));
        } finally {
            try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                    "UPDATE jobs SET status = 'succeeded' WHERE id = ?")) {
                s.setObject(1, queued);
                s.executeUpdate();
            }
            setTenantLimits("UPDATE tenants SET max_queued_jobs = NULL WHERE id = 'capped'");
        }
        // Under the cap again, the same retry is accepted.
        given().auth().oauth2(AuthStackResource.CAPPED_KEY).post("/v1/jobs/" + canceled + "/retry").then()
                .statusCode(202);
    }

    @Test
    void theActiveJobCountIsReusedWithinTheRefreshPlusTheJobsAcceptedSince() throws Exception {
        setTenantLimits("UPDATE tenants SET max_queued_jobs = 2 WHERE id = 'burst'");
        insertJob(UUID.randomUUID(), "burst", "queued");
        // Counted: 1 of 2. Accepted, so this instance knows of 2 without counting again.
        assertThat(submitPng(AuthStackResource.BURST_KEY).statusCode()).isEqualTo(202);
        // Every job of the tenant finishes; a count now would find none, but the last one is reused until it expires.
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE jobs SET status = 'succeeded' WHERE tenant = 'burst'")) {
            assertThat(s.executeUpdate()).isEqualTo(2);
        }
        submitPng(AuthStackResource.BURST_KEY).then().statusCode(429).body("code", is("too_many_queued_jobs"));
        Thread.sleep(2_100); // active-jobs-refresh of the test profile
        assertThat(submitPng(AuthStackResource.BURST_KEY).statusCode()).isEqualTo(202);
    }

    @Test
    void aQueueDeeperThanTheMaximumGets503Overloaded() throws Exception {
        String topic = Topics.requests(Topics.DEFAULT_QUEUE);
        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", kafka);
        producerProps.put("key.serializer", StringSerializer.class.getName());
        producerProps.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            for (int i = 0; i < AuthStackResource.MAX_QUEUE_DEPTH + 5; i++) {
                producer.send(new ProducerRecord<>(topic, UUID.randomUUID().toString(), "{}")).get();
            }
        }
        try {
            awaitDepth(depth -> depth > AuthStackResource.MAX_QUEUE_DEPTH);
            Response refused = submitPng(AuthStackResource.DEV_KEY);
            refused.then().statusCode(503).contentType("application/problem+json").body("code", is("overloaded"));
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isGreaterThanOrEqualTo(1);
        } finally {
            // The transcoder catches up: commit its group at the end of every partition.
            Properties consumerProps = new Properties();
            consumerProps.put("bootstrap.servers", kafka);
            consumerProps.put("group.id", Topics.TRANSCODER_GROUP);
            consumerProps.put("key.deserializer", StringDeserializer.class.getName());
            consumerProps.put("value.deserializer", StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
                consumer.endOffsets(partitions).forEach((p, end) -> ends.put(p, new OffsetAndMetadata(end)));
                consumer.commitSync(ends);
            }
        }
        awaitDepth(depth -> depth == 0);
        Response admitted = submitPng(AuthStackResource.DEV_KEY);
        assertThat(admitted.statusCode() == 503 ? admitted.jsonPath().getString("code") : "admitted").isNotEqualTo("overloaded");
    }

    @Test
    void aBodyOverTheLimitIsA413Problem() throws Exception {
        byte[] body = multipart("clip.mp4", new byte[(int) AuthStackResource.MAX_BYTES + 1]);
        // Declared length, as curl sends a large upload: answered before a byte of the body is sent.
        String declared = rawPost("Content-Length: " + body.length + "\r\nExpect: 100-continue\r\n", null);
        assertThat(declared).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                .contains("\"code\":\"payload_too_large\"");

        // Chunked, length unknown until the end: Quarkus REST cuts it off at the limit (its own empty 413).
        String chunked = rawPost("Transfer-Encoding: chunked\r\n", body);
        assertThat(chunked).startsWith("HTTP/1.1 413");
    }

    /** A POST /v1/jobs over a plain socket (a client that stops writing once answered); the raw response. */
    private String rawPost(String headers, byte[] chunkedBody) throws IOException {
        try (Socket socket = new Socket(jobsUri.getHost(), jobsUri.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + AuthStackResource.DEV_KEY
                    + "\r\nContent-Type: multipart/form-data; boundary=XyZboundary\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (chunkedBody != null) {
                try {
                    for (int at = 0; at < chunkedBody.length; at += 64 * 1024) {
                        int n = Math.min(64 * 1024, chunkedBody.length - at);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunkedBody, at, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closedByServer) {
                    // the server answered and closed while we were still sending: read what it said
                }
            }
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    response.write(buffer, 0, n);
                    if (response.toString(StandardCharsets.UTF_8).contains("}")) {
                        break; // the whole problem body is in
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // return what arrived; the assertions say what was missing
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    // --- helpers ---

    private static byte[] multipart(String filename, byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--XyZboundary\r\nContent-Disposition: form-data; name=\"spec\"\r\n\r\n" + SPEC
                + "\r\n--XyZboundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes("\r\n--XyZboundary--\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private Response submitPng(String key) throws IOException {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return given().auth().oauth2(key)
                .multiPart("file", "still.txt", png.toByteArray(), "text/plain") // named and typed wrongly: content decides
                .multiPart("spec", SPEC)
                .post("/v1/jobs");
    }

    private void awaitDepth(java.util.function.LongPredicate condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (queueDepth.depth().isPresent() && condition.test(queueDepth.depth().getAsLong())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Queue depth never matched; last " + queueDepth.depth());
    }

    private void setTenantLimits(String update) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(update)) {
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        Thread.sleep(2_100); // the 2 s cache TTL of the test profile
    }

    private void insertJob(UUID id, String tenant, String status) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO jobs (id, tenant, status, created_at, updated_at) VALUES (?, ?, ?, now(), now())")) {
            s.setObject(1, id);
            s.setString(2, tenant);
            s.setString(3, status);
            s.executeUpdate();
        }
    }
}
