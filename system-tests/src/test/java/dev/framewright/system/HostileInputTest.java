package dev.framewright.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventSerializer;
import dev.framewright.events.JobRequested;
import dev.framewright.events.ProbeOutput;
import dev.framewright.events.Topics;
import dev.framewright.events.VideoOutput;
import io.restassured.path.json.JsonPath;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hostile-input corpus: every case ends in a clear 4xx or a JobFailed with a specific code, the worker keeps
 * serving the next job, and nothing local or internal is ever read (a planted canary never shows up anywhere).
 */
class HostileInputTest extends SystemTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "CANARY-" + UUID.randomUUID();
    private static Path canary;
    private static HttpServer internalService;
    private static final AtomicInteger internalHits = new AtomicInteger();

    @BeforeAll
    static void plantCanaries() throws Exception {
        canary = Files.writeString(Files.createTempFile("framewright-canary", ".txt"), SECRET + "\n");
        internalService = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        internalService.createContext("/", exchange -> {
            internalHits.incrementAndGet();
            byte[] body = SECRET.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        internalService.start();
    }

    @AfterAll
    static void removeCanaries() throws Exception {
        internalService.stop(0);
        Files.deleteIfExists(canary);
    }

    private static String internalUrl() {
        return "http://127.0.0.1:" + internalService.getAddress().getPort() + "/secret.ts";
    }

    @Test
    void shouldRefuseHostileUploadsAndSpecsWithAClearProblem() throws Exception {
        Path clip = Media.clip(media, 320, 240, 1);
        String ok = "{\"outputs\":[{\"name\":\"a\",\"type\":\"probe\"}]}";
        record Upload(String name, Path file, String spec, int status, String code) {
        }
        List<Upload> uploads = List.of(
                new Upload("zero bytes", HostileMedia.zeroBytes(media), ok, 400, "empty_upload"),
                new Upload("text renamed .mp4", HostileMedia.textRenamedMp4(media), ok, 415, "unsupported_media_type"),
                new Upload("HLS playlist to a local file", HostileMedia.hlsPlaylistToLocalFile(media, canary), ok, 415, "unsupported_media_type"),
                new Upload("HLS playlist to 127.0.0.1", HostileMedia.hlsPlaylistToUrl(media, internalUrl()), ok, 415, "unsupported_media_type"),
                new Upload("concat script", HostileMedia.concatScript(media, canary), ok, 415, "unsupported_media_type"),
                new Upload("malformed JSON", clip, "{\"outputs\":[", 400, "invalid_spec"),
                new Upload("huge JSON", clip, "{\"outputs\":[" + "{\"name\":\"a\",\"type\":\"probe\"},".repeat(40_000) + "]}", 413, "payload_too_large"),
                new Upload("unknown output type", clip, "{\"outputs\":[{\"name\":\"a\",\"type\":\"hologram\"}]}", 400, "invalid_spec"),
                new Upload("negative size", clip, "{\"outputs\":[{\"name\":\"a\",\"type\":\"video\",\"width\":-640}]}", 400, "invalid_spec"),
                new Upload("zero size", clip, "{\"outputs\":[{\"name\":\"a\",\"type\":\"image\",\"height\":0}]}", 400, "invalid_spec"),
                new Upload("output name traversal", clip, "{\"outputs\":[{\"name\":\"../../etc\",\"type\":\"probe\"}]}", 400, "invalid_spec"),
                new Upload("output name with a slash", clip, "{\"outputs\":[{\"name\":\"a/b\",\"type\":\"probe\"}]}", 400, "invalid_spec"),
                new Upload("label key traversal", clip, "{\"outputs\":[{\"name\":\"a\",\"type\":\"probe\"}],\"labels\":{\"../x\":\"1\"}}", 400, "invalid_spec"),
                new Upload("webhook to a file URL", clip, "{\"outputs\":[{\"name\":\"a\",\"type\":\"probe\"}],\"webhook\":{\"url\":\"file:///etc/passwd\"}}", 400, "invalid_spec"),
                new Upload("a thousand outputs", clip, "{\"outputs\":[" + String.join(",", java.util.stream.IntStream.range(0, 1000)
                        .mapToObj(i -> "{\"name\":\"o" + i + "\",\"type\":\"probe\"}").toList()) + "]}", 400, "invalid_spec"),
                new Upload("every_seconds and count", clip, "{\"outputs\":[{\"name\":\"t\",\"type\":\"thumbnails\",\"every_seconds\":5,\"count\":3}]}", 400, "invalid_spec"),
                new Upload("opacity above 1", clip, "{\"outputs\":[{\"name\":\"v\",\"type\":\"video\",\"overlay\":{\"image\":\"x\",\"opacity\":5}}]}", 400, "invalid_spec"),
                new Upload("zero-second HLS segments", clip, "{\"outputs\":[{\"name\":\"h\",\"type\":\"hls\",\"segment_seconds\":0}]}", 400, "invalid_spec"),
                new Upload("unknown queue", clip, "{\"queue\":\"../../admin\",\"outputs\":[{\"name\":\"a\",\"type\":\"probe\"}]}", 400, "unknown_queue"));
        List<String> failures = new ArrayList<>();
        for (Upload u : uploads) {
            io.restassured.response.Response r = given().multiPart("file", u.file().toFile(), "video/mp4")
                    .multiPart("spec", u.spec(), "application/json").post("/v1/jobs");
            String code = r.contentType().startsWith("application/problem+json") ? r.jsonPath().getString("code") : r.asString();
            if (r.statusCode() != u.status() || !u.code().equals(code)) {
                failures.add(u.name() + ": " + r.statusCode() + " " + code + " (expected " + u.status() + " " + u.code() + ")");
            }
            assertThat(r.asString()).doesNotContain(SECRET);
        }

        // Invalid UTF-8 in a label, sent as raw bytes.
        byte[] spec = "{\"outputs\":[{\"name\":\"a\",\"type\":\"probe\"}],\"labels\":{\"k\":\"\u0000BAD\"}}"
                .getBytes(StandardCharsets.UTF_8);
        int at = new String(spec, StandardCharsets.UTF_8).indexOf("\u0000BAD");
        spec[at] = (byte) 0xC3;
        spec[at + 1] = (byte) 0x28;
        io.restassured.response.Response utf8 = given().multiPart("file", clip.toFile(), "video/mp4")
                .multiPart(new io.restassured.builder.MultiPartSpecBuilder(spec).controlName("spec")
                        .mimeType("application/json").build())
                .post("/v1/jobs");
        if (utf8.statusCode() != 400) {
            failures.add("invalid UTF-8 label: " + utf8.statusCode());
        }
        assertThat(failures).as("hostile uploads and specs answered wrongly").isEmpty();
    }

    @Test
    void shouldFailBrokenAndBoobyTrappedMediaWithASpecificCodeAndKeepServing() throws Exception {
        Path clip = Media.clip(media, 320, 240, 2);
        record Case(String name, Path file, String code) {
        }
        List<Case> cases = List.of(
                new Case("truncated MP4 without moov", HostileMedia.truncatedMp4(media, clip), "unsupported_media"),
                new Case("MP4 header then noise", HostileMedia.mp4HeaderThenNoise(media), "unsupported_media"),
                new Case("PNG bomb 50000x50000", HostileMedia.pngBomb(media, 50_000, 50_000), "limits_exceeded"),
                new Case("JPEG claiming 60000x60000", HostileMedia.jpegClaimingHugeSize(media, 60_000), "limits_exceeded"),
                new Case("GIF claiming 65535x65535", HostileMedia.gifBomb(media), "limits_exceeded"),
                new Case("10-hour video", HostileMedia.tenHourVideo(media), "limits_exceeded"),
                new Case("10,000 fps", HostileMedia.absurdFrameRate(media), "limits_exceeded"),
                new Case("200 streams", HostileMedia.thousandsOfStreams(media, 200), "limits_exceeded"),
                // FFmpeg itself stops reading streams at 1000; the limits see those.
                new Case("2000 streams", HostileMedia.thousandsOfStreams(media, 2000), "limits_exceeded"));
        Map<String, String> ids = new LinkedHashMap<>();
        for (Case c : cases) {
            ids.put(c.name(), Jobs.submit(c.file(), "application/octet-stream",
                    "{\"outputs\":[{\"name\":\"v\",\"type\":\"video\",\"height\":120},{\"name\":\"i\",\"type\":\"image\"}]}")
                    .then().statusCode(202).extract().<String>path("id"));
        }
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            JsonPath job = Jobs.awaitTerminal(ids.get(c.name()));
            if (!"failed".equals(job.getString("status")) || !c.code().equals(job.getString("error.code"))) {
                failures.add(c.name() + ": " + job.getString("status") + " " + job.getString("error.code")
                        + " (expected failed " + c.code() + ") " + job.getString("error.message"));
            }
            assertThat(job.prettify()).doesNotContain(SECRET);
        }
        assertThat(failures).as("hostile media handled wrongly").isEmpty();
        assertWorkerStillServes();
    }

    /**
     * Defence in depth: even when a playlist or concat script reaches the transcoder without job-api's sniffing (a
     * request published straight to Kafka), the transcoder refuses to open it, and nothing is fetched.
     */
    @Test
    void shouldNeverFollowPlaylistsOrScriptsEvenPastTheApi() throws Exception {
        Map<String, Path> traps = new LinkedHashMap<>();
        traps.put("HLS to local file", HostileMedia.hlsPlaylistToLocalFile(media, canary));
        traps.put("HLS to 127.0.0.1", HostileMedia.hlsPlaylistToUrl(media, internalUrl()));
        traps.put("concat script", HostileMedia.concatScript(media, canary));
        Map<String, UUID> jobs = new LinkedHashMap<>();
        try (KafkaProducer<String, JobEvent> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", RunningSystem.get().infrastructure().kafkaBootstrapServers()),
                new StringSerializer(), new JobEventSerializer())) {
            for (Map.Entry<String, Path> trap : traps.entrySet()) {
                String key = putObjectPastTheApi(trap.getValue());
                UUID jobId = UUID.randomUUID();
                JobRequested request = JobRequested.simple(UUID.randomUUID(), jobId, "default", Instant.now(),
                        new InputObject(key, trap.getValue().getFileName().toString(), "video/mp4", Files.size(trap.getValue())),
                        List.of(VideoOutput.of("v", 160, null), ImageOutput.of("i", 64, null), new ProbeOutput("p")));
                producer.send(new ProducerRecord<>(Topics.JOB_REQUESTS, jobId.toString(), request)).get();
                jobs.put(trap.getKey(), jobId);
            }
        }
        for (Map.Entry<String, UUID> job : jobs.entrySet()) {
            await().atMost(Duration.ofMinutes(2)).until(() -> given().get("/v1/jobs/{id}", job.getValue()).statusCode() == 200
                    && List.of("failed", "succeeded").contains(Jobs.get(job.getValue().toString()).getString("status")));
            JsonPath done = Jobs.get(job.getValue().toString());
            assertThat(done.getString("status")).as(job.getKey()).isEqualTo("failed");
            assertThat(done.getString("error.code")).as(job.getKey()).isEqualTo("unsupported_media");
            assertThat(done.prettify()).doesNotContain(SECRET);
        }
        assertThat(internalHits.get()).as("requests that reached the internal service").isZero();
        assertWorkerStillServes();
    }

    /** Stores bytes the way a direct upload does (presigned PUT), so job-api never sees them. */
    private static String putObjectPastTheApi(Path file) throws Exception {
        JsonPath upload = given().contentType("application/json")
                .body("{\"filename\":\"x.mp4\",\"content_type\":\"video/mp4\",\"size\":" + Files.size(file) + "}")
                .post("/v1/uploads").then().statusCode(201).extract().jsonPath();
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(upload.getString("url")))
                .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofFile(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        String path = URI.create(upload.getString("url")).getPath();
        return path.substring(path.indexOf("/uploads/") + 1);
    }

    private static void assertWorkerStillServes() throws Exception {
        Path clip = Media.clip(media, 320, 240, 1);
        String id = Jobs.submit(clip, "video/mp4", "{\"outputs\":[{\"name\":\"still\",\"type\":\"image\",\"width\":32}]}")
                .then().statusCode(202).extract().path("id");
        assertThat(Jobs.awaitTerminal(id).getString("status")).isEqualTo("succeeded");
    }
}
