package dev.framewright.api.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue #12: an accepted direct upload cannot be swapped for a larger object, and the job pins the one it got. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class UploadPinningTest {

    @Inject
    MediaStore store;

    private static JsonPath ticket(String filename, String contentType, long size) {
        return given().contentType("application/json")
                .body(Map.of("filename", filename, "content_type", contentType, "size", size))
                .post("/v1/uploads").then().statusCode(201).extract().jsonPath();
    }

    private static HttpResponse<String> put(JsonPath ticket, byte[] bytes) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(ticket.getString("url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        Map<String, String> headers = ticket.getMap("headers");
        // Content-Length is set by the client from the body; it is signed, so it must equal the announced size.
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                put.header(name, value);
            }
        });
        return HttpClient.newHttpClient().send(put.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPresignedPutIsBoundToTheAnnouncedSizeAndTheJobPinsTheObjectItWasAcceptedWith() throws Exception {
        byte[] small = Fixtures.mp4("small accepted input");
        JsonPath ticket = ticket("clip.mp4", "video/mp4", small.length);
        assertThat(ticket.getMap("headers")).containsEntry("content-length", Integer.toString(small.length));
        assertThat(put(ticket, small).statusCode()).isEqualTo(200);
        String uploadId = ticket.getString("upload_id");
        String key = "uploads/default/" + uploadId;
        String accepted = store.head(key).orElseThrow().eTag();

        Response job = given().contentType("application/json")
                .body("{\"upload_id\": \"" + uploadId + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .post("/v1/jobs");
        job.then().statusCode(202);
        UUID jobId = UUID.fromString(job.jsonPath().getString("id"));
        JobRequested requested = (JobRequested) Fixtures.event(Topics.JOB_REQUESTS, jobId, JobRequested.class);
        assertThat(requested.input().etag()).isEqualTo(accepted);
        assertThat(requested.input().size()).isEqualTo(small.length);
        try (Connection c = Fixtures.db(); PreparedStatement s = c.prepareStatement(
                "SELECT etag, job_id FROM uploads WHERE id = ?")) {
            s.setObject(1, UUID.fromString(uploadId));
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("etag")).isEqualTo(accepted);
                assertThat(rs.getObject("job_id", UUID.class)).isEqualTo(jobId);
            }
        }

        // The same URL, still within its lifetime, with a longer body: the signature covers the length.
        HttpResponse<String> oneMore = put(ticket, Arrays.copyOf(Fixtures.mp4("swapped in"), small.length + 1));
        assertThat(oneMore.statusCode()).as(oneMore.body()).isEqualTo(403);
        assertThat(oneMore.body()).contains("SignatureDoesNotMatch");
        // A huge one is refused as well; the store may answer before the body is sent and close the connection.
        int huge;
        try {
            huge = put(ticket, Arrays.copyOf(Fixtures.mp4("swapped in"), 5 * 1024 * 1024)).statusCode();
        } catch (java.io.IOException closedMidBody) {
            huge = -1;
        }
        assertThat(huge).isIn(403, -1);
        assertThat(store.head(key).orElseThrow().eTag()).isEqualTo(accepted);
        assertThat(store.head(key).orElseThrow().contentLength()).isEqualTo(small.length);

        // Same length, other bytes: the store takes it (the URL cannot be revoked), but it is another object, which
        // the worker refuses (input_changed) because the job pinned the accepted ETag.
        byte[] sameLength = Fixtures.mp4("SMALL ACCEPTED INPUT");
        assertThat(sameLength).hasSameSizeAs(small);
        assertThat(put(ticket, sameLength).statusCode()).isEqualTo(200);
        assertThat(store.head(key).orElseThrow().eTag()).isNotEqualTo(accepted);
    }

    @Test
    void aStoredObjectOfAnotherSizeThanAnnouncedIsRefused() {
        // As a store that ignored the signed length would leave it.
        JsonPath ticket = ticket("clip.mp4", "video/mp4", 10);
        store.putBytes("uploads/default/" + ticket.getString("upload_id"), Fixtures.mp4("longer than ten bytes"),
                "video/mp4");
        given().contentType("application/json")
                .body("{\"upload_id\": \"" + ticket.getString("upload_id") + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .post("/v1/jobs").then().statusCode(400).body("code", equalTo("upload_size_mismatch"))
                .body("errors[0].field", equalTo("upload_id"));
        // Refused, so the upload is not used up.
        store.putBytes("uploads/default/" + ticket.getString("upload_id"), Arrays.copyOf(Fixtures.mp4(""), 10),
                "video/mp4");
        given().contentType("application/json")
                .body("{\"upload_id\": \"" + ticket.getString("upload_id") + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .post("/v1/jobs").then().statusCode(202);
    }

    @Test
    void anOverlayMustBeAnImage() throws Exception {
        String input = SubmitTest.upload("clip.mp4", "video/mp4", Fixtures.mp4("overlay kind"));
        String notAnImage = SubmitTest.upload("logo.mp4", "video/mp4", Fixtures.mp4("a video as the overlay"));
        given().contentType("application/json").body("""
                {"upload_id": "%s", "outputs": [{"name": "v", "type": "video", "overlay": {"image": "%s"}}]}"""
                .formatted(input, notAnImage))
                .post("/v1/jobs").then().statusCode(415).body("code", equalTo("unsupported_media_type"));
        given().multiPart("file", "clip.mp4", Fixtures.mp4("multipart overlay kind"), "video/mp4")
                .multiPart("overlay", "logo.mp4", Fixtures.mp4("video overlay part"), "video/mp4")
                .multiPart("spec", "{\"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"overlay\": {}}]}")
                .post("/v1/jobs").then().statusCode(415).body("code", equalTo("unsupported_media_type"))
                .body("errors[0].field", equalTo("overlay"));
    }
}
