package dev.framewright.api.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.ImageFormat;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Overlay;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.Topics;
import dev.framewright.events.VideoOutput;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class SubmitTest {

    @Inject
    MediaStore store;

    /** POST /v1/uploads, then PUT the bytes to the presigned URL exactly as a client would. */
    static String upload(String filename, String contentType, byte[] bytes) throws Exception {
        return upload(filename, contentType, bytes.length, bytes);
    }

    /** @param announced the size told to POST /v1/uploads (the presigned PUT signs it: it must be the body's) */
    static String upload(String filename, String contentType, long announced, byte[] bytes) throws Exception {
        JsonPath ticket = given().contentType("application/json")
                .body(Map.of("filename", filename, "content_type", contentType, "size", announced))
                .post("/v1/uploads").then().statusCode(201).extract().jsonPath();
        assertThat(ticket.getString("method")).isEqualTo("PUT");
        assertThat(Instant.parse(ticket.getString("expires_at"))).isBetween(Instant.now().plusSeconds(800),
                Instant.now().plusSeconds(901));
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(ticket.getString("url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        Map<String, String> headers = ticket.getMap("headers");
        // The HTTP client sends Content-Length from the body; the signed value must match it.
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                put.header(name, value);
            }
        });
        HttpResponse<String> response = HttpClient.newHttpClient().send(put.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ticket.getString("upload_id");
    }

    @Test
    void jsonSubmitOfADirectUploadPublishesOnTheQueueTopicAndSeedsTheReadModel() throws Exception {
        byte[] media = Fixtures.mp4("pretend this is an mp4");
        String input = upload("clip.mp4", "video/mp4", media);
        String logo = upload("logo.png", "image/png", Fixtures.png());
        String body = """
                {"upload_id": "%s", "queue": "express", "labels": {"customer": "acme", "batch.id": "42"},
                 "webhook": {"url": "https://hooks.example.com/fw", "progress": true},
                 "max_duration_seconds": 600, "retention_hours": 48,
                 "outputs": [
                   {"name": "web", "type": "video", "width": 1280, "bitrate_kbps": 2500,
                    "overlay": {"image": "%s", "position": "top-left", "margin": 8, "opacity": 0.5, "start": 1, "end": 4}},
                   {"name": "ladder", "type": "hls", "segment_seconds": 4,
                    "renditions": [{"height": 720, "bitrate_kbps": 2800}, {"height": 360, "bitrate_kbps": 800}]},
                   {"name": "thumbs", "type": "thumbnails", "every_seconds": 2, "format": "webp", "sprite": true},
                   {"name": "meta", "type": "probe"}]}""".formatted(input, logo);
        Response accepted = given().contentType("application/json").body(body).post("/v1/jobs");
        accepted.then().statusCode(202).body("status", equalTo("queued")).body("queue", equalTo("express"));
        String id = accepted.jsonPath().getString("id");
        assertThat(accepted.header("Location")).endsWith("/v1/jobs/" + id);
        UUID jobId = UUID.fromString(id);

        JobRequested requested = (JobRequested) Fixtures.event(Topics.requests("express"), jobId, JobRequested.class);
        assertThat(requested.tenant()).isEqualTo("default");
        assertThat(requested.attempt()).isZero();
        assertThat(requested.retry()).isFalse();
        assertThat(requested.queue()).isEqualTo("express");
        assertThat(requested.input().key()).isEqualTo("uploads/default/" + input);
        assertThat(requested.input().size()).isEqualTo(media.length);
        assertThat(requested.input().filename()).isEqualTo("clip.mp4");
        assertThat(requested.labels()).isEqualTo(Map.of("customer", "acme", "batch.id", "42"));
        assertThat(requested.webhook().url()).isEqualTo("https://hooks.example.com/fw");
        assertThat(requested.webhook().progress()).isTrue();
        assertThat(requested.maxDurationSeconds()).isEqualTo(600);
        assertThat(requested.expiresAt()).isCloseTo(Instant.now().plus(48, ChronoUnit.HOURS), within(1, ChronoUnit.MINUTES));
        assertThat(requested.outputs()).hasSize(4);
        VideoOutput web = (VideoOutput) requested.outputs().get(0);
        assertThat(web.width()).isEqualTo(1280);
        assertThat(web.bitrateKbps()).isEqualTo(2500);
        // The overlay names the object the client uploaded, resolved from its upload id.
        assertThat(web.overlay()).isEqualTo(new Overlay("uploads/default/" + logo, Overlay.Position.TOP_LEFT, null,
                null, 8, null, 0.5, 1.0, 4.0));
        HlsOutput ladder = (HlsOutput) requested.outputs().get(1);
        assertThat(ladder.segmentSeconds()).isEqualTo(4.0);
        assertThat(ladder.renditions()).containsExactly(new HlsOutput.Rendition(720, 2800),
                new HlsOutput.Rendition(360, 800));
        ThumbnailsOutput thumbs = (ThumbnailsOutput) requested.outputs().get(2);
        assertThat(thumbs.everySeconds()).isEqualTo(2.0);
        assertThat(thumbs.format()).isEqualTo(ImageFormat.WEBP);
        assertThat(thumbs.sprite()).isTrue();

        // Readable at once: the queued row was seeded with everything the request said.
        JsonPath job = given().get("/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(job.getString("status")).isEqualTo("queued");
        assertThat(job.getString("queue")).isEqualTo("express");
        assertThat(job.getMap("labels")).containsEntry("customer", "acme");
        assertThat(job.getString("webhook.url")).isEqualTo("https://hooks.example.com/fw");
        assertThat(job.getBoolean("webhook.progress")).isTrue();
        assertThat(job.getInt("max_duration_seconds")).isEqualTo(600);
        assertThat(job.getString("expires_at")).isNotNull();
        assertThat(job.getString("input.filename")).isEqualTo("clip.mp4");
        assertThat(job.getList("outputs.name")).containsExactly("web", "ladder", "thumbs", "meta");
        assertThat(job.getList("outputs.status")).containsOnly("queued");
        assertThat(job.getInt("outputs[0].spec.bitrate_kbps")).isEqualTo(2500);
        assertThat(job.getString("outputs[0].spec.overlay.position")).isEqualTo("top-left");
        assertThat(job.getDouble("outputs[2].spec.every_seconds")).isEqualTo(2.0);
        assertThat(job.getString("outputs[1].spec.type")).isEqualTo("hls");

        // An upload is one job's input.
        given().contentType("application/json").body(body).post("/v1/jobs").then().statusCode(409)
                .body("code", equalTo("upload_used"));
    }

    @Test
    void anUploadNeverPutOrOfAnotherTenantIsMissing() throws Exception {
        JsonPath ticket = given().contentType("application/json")
                .body(Map.of("filename", "x.mp4", "content_type", "video/mp4", "size", 10))
                .post("/v1/uploads").then().statusCode(201).extract().jsonPath();
        given().contentType("application/json")
                .body("{\"upload_id\": \"" + ticket.getString("upload_id") + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .post("/v1/jobs").then().statusCode(400).body("code", equalTo("upload_missing"));
        given().contentType("application/json")
                .body("{\"upload_id\": \"" + UUID.randomUUID() + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .post("/v1/jobs").then().statusCode(400).body("code", equalTo("upload_missing"));
        given().contentType("application/json").body(Map.of("filename", "x.mp4", "size", -1))
                .post("/v1/uploads").then().statusCode(400);
    }

    @Test
    void aDirectUploadIsSizedAndSniffedByOneRangedGet() throws Exception {
        // Larger than the bytes sniffed: the size is the object's, from Content-Range, not the length of the range.
        byte[] media = java.util.Arrays.copyOf(Fixtures.mp4("big"), dev.framewright.api.upload.MediaSniffer.HEAD_BYTES * 3 + 7);
        String input = upload("big.mp4", "video/mp4", media);
        Response accepted = given().contentType("application/json")
                .body("{\"upload_id\": \"" + input + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .post("/v1/jobs");
        accepted.then().statusCode(202);
        JobRequested requested = (JobRequested) Fixtures.event(Topics.JOB_REQUESTS,
                UUID.fromString(accepted.jsonPath().getString("id")), JobRequested.class);
        assertThat(requested.input().size()).isEqualTo(media.length);
        assertThat(requested.input().contentType()).isEqualTo("video/mp4");

        // An empty object has no byte 0 to range over: not media, as before. (The presigned PUT refuses an empty body
        // for an announced size of 1, so the empty object is stored directly, as a lax store would keep it.)
        String empty = given().contentType("application/json")
                .body(Map.of("filename", "empty.mp4", "content_type", "video/mp4", "size", 1))
                .post("/v1/uploads").then().statusCode(201).extract().jsonPath().getString("upload_id");
        store.putBytes("uploads/default/" + empty, new byte[0], "video/mp4");
        given().contentType("application/json")
                .body("{\"upload_id\": \"" + empty + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .post("/v1/jobs").then().statusCode(415).body("code", equalTo("unsupported_media_type"));
    }

    @Test
    void anOverlayUploadNeverPutIsMissingAndLeavesTheInputUnused() throws Exception {
        String input = upload("clip.mp4", "video/mp4", Fixtures.mp4("overlay never put"));
        JsonPath ticket = given().contentType("application/json")
                .body(Map.of("filename", "logo.png", "content_type", "image/png", "size", 10))
                .post("/v1/uploads").then().statusCode(201).extract().jsonPath();
        String body = """
                {"upload_id": "%s", "outputs": [{"name": "v", "type": "video", "overlay": {"image": "%s"}}]}"""
                .formatted(input, ticket.getString("upload_id"));
        given().contentType("application/json").body(body).post("/v1/jobs").then().statusCode(400)
                .body("code", equalTo("upload_missing"));
        // Refused, so the input is still free for a job.
        given().contentType("application/json")
                .body("{\"upload_id\": \"" + input + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .post("/v1/jobs").then().statusCode(202);
    }

    @Test
    void multipartSubmitStoresTheInputUnderTheTenantAndTheOverlayPart() {
        byte[] media = Fixtures.mp4("another pretend clip");
        Response accepted = given()
                .multiPart("file", "talk.mov", media, "video/quicktime")
                .multiPart("overlay", "logo.png", Fixtures.png(), "image/png")
                .multiPart("spec", """
                        {"outputs": [{"name": "small", "type": "video", "height": 360, "overlay": {"position": "center"}},
                                     {"name": "still", "type": "image", "at_seconds": 1.5, "fit": "cover", "width": 320, "height": 320},
                                     {"name": "sound", "type": "audio", "codec": "opus"},
                                     {"name": "gif", "type": "preview", "duration": 2, "fps": 8},
                                     {"name": "masked", "type": "video", "overlay": {"anchor": "faces", "face_margin": 0.3,
                                      "max_faces": 2, "opacity": 0.9, "end": 5}}]}""", "application/json")
                .post("/v1/jobs");
        accepted.then().statusCode(202);
        UUID jobId = UUID.fromString(accepted.jsonPath().getString("id"));
        JobRequested requested = (JobRequested) Fixtures.event(Topics.JOB_REQUESTS, jobId, JobRequested.class);
        assertThat(requested.queue()).isEqualTo("default");
        assertThat(requested.input().key()).startsWith("uploads/default/");
        assertThat(requested.input().contentType()).isEqualTo("video/quicktime");
        assertThat(store.head(requested.input().key()).orElseThrow().contentLength()).isEqualTo(media.length);
        String overlayKey = ((VideoOutput) requested.outputs().get(0)).overlay().image();
        assertThat(overlayKey).startsWith("uploads/default/");
        assertThat(store.head(overlayKey).orElseThrow().contentLength()).isEqualTo(Fixtures.png().length);
        assertThat(requested.expiresAt()).isCloseTo(Instant.now().plus(168, ChronoUnit.HOURS), within(1, ChronoUnit.MINUTES));
        assertThat(requested.outputs()).extracting(o -> o.type().wireName())
                .containsExactly("video", "image", "audio", "preview", "video");
        // resolving the key keeps every other overlay parameter, the face anchor's included
        assertThat(((VideoOutput) requested.outputs().get(4)).overlay()).isEqualTo(new Overlay(overlayKey, null, null,
                null, null, null, 0.9, null, 5.0, Overlay.Anchor.FACES, 0.3, 2));
    }

    @Test
    void anotherTenantsJobIsNotFound() {
        UUID other = Jobs.insert("someone-else", "queued", "default", Map.of(), 0, Instant.now(), List.of(), null, null, null);
        given().get("/v1/jobs/" + other).then().statusCode(404).body("code", equalTo("not_found"));
        given().delete("/v1/jobs/" + other).then().statusCode(404);
        given().get("/v1/jobs/not-a-uuid").then().statusCode(404);
    }
}
