package dev.framewright.api.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every string a client sends is clean before it is stored or published: a NUL, a control character, broken
 * Unicode or an over-long value is a 400 naming the field (a label value with {@code \u0000} once stopped the read
 * model for every tenant); file names are cleaned instead, and the job shows the cleaned name.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class ClientStringsTest {

    private static final String UPLOAD = "\"upload_id\": \"00000000-0000-0000-0000-000000000000\"";
    private static final String PROBE = "\"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]";

    /** {@code json} is sent as it is written here: {@code \\u0000} arrives as the JSON escape, decoded by the API. */
    private static ValidatableResponse submit(String json) {
        return given().contentType("application/json").body(json).post("/v1/jobs").then();
    }

    private static void invalid(String json, String field, String message) {
        submit(json).statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_spec"))
                .body("errors.field", hasItem(field))
                .body("detail", containsString(message));
    }

    @Test
    void aNulInALabelValueIsRefusedNamingTheLabel() {
        invalid("{" + UPLOAD + ", \"labels\": {\"k\": \"a\\u0000b\"}, " + PROBE + "}", "labels[\"k\"]",
                "must not contain control characters; found U+0000");
    }

    @Test
    void controlCharactersAndDelInLabelKeysAreRefusedAndNamedEscaped() {
        invalid("{" + UPLOAD + ", \"labels\": {\"bad\\u0001\": \"v\"}, " + PROBE + "}", "labels[\"bad\\u0001\"]",
                "label keys must match");
        invalid("{" + UPLOAD + ", \"labels\": {\"bad\\u007f\": \"v\"}, " + PROBE + "}", "labels[\"bad\\u007f\"]",
                "label keys must match");
        invalid("{" + UPLOAD + ", \"labels\": {\"k\": \"line\\nbreak\"}, " + PROBE + "}", "labels[\"k\"]", "U+000A");
        invalid("{" + UPLOAD + ", \"labels\": {\"k\": \"c1\\u0085\"}, " + PROBE + "}", "labels[\"k\"]", "U+0085");
    }

    @Test
    void brokenUnicodeAndBidiOverridesAreRefused() {
        invalid("{" + UPLOAD + ", \"labels\": {\"k\": \"\\ud800\"}, " + PROBE + "}", "labels[\"k\"]",
                "unpaired surrogate");
        invalid("{" + UPLOAD + ", \"labels\": {\"k\": \"x\\ufffd\"}, " + PROBE + "}", "labels[\"k\"]", "U+FFFD");
        invalid("{" + UPLOAD + ", \"labels\": {\"k\": \"invoice\\u202egpj.exe\"}, " + PROBE + "}", "labels[\"k\"]",
                "bidirectional");
        invalid("{" + UPLOAD + ", \"labels\": {\"k\": \"" + "v".repeat(257) + "\"}, " + PROBE + "}", "labels[\"k\"]",
                "has 257 characters; at most 256");
        // Text in any script is fine: the same spec without the bad label gets as far as the (missing) upload.
        submit("{" + UPLOAD + ", \"labels\": {\"k\": \"ünïcödé ✓ 😀 עברית\"}, " + PROBE + "}").statusCode(400)
                .body("code", equalTo("upload_missing"));
    }

    @Test
    void webhookUrlsOutputNamesAndLimitsAnOperatorSet() {
        invalid("{" + UPLOAD + ", \"webhook\": {\"url\": \"https://example.com/\\u0000\"}, " + PROBE + "}",
                "webhook.url", "control characters");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"a\\u0000\", \"type\": \"probe\"}]}", "outputs[0].name",
                "must match");
        // LocalStackResource sets framewright.transcoder.max-job-duration=1h and framewright.limits.max-retention=240h.
        invalid("{" + UPLOAD + ", \"max_duration_seconds\": 3601, " + PROBE + "}", "max_duration_seconds",
                "must be at most 3600");
        invalid("{" + UPLOAD + ", \"retention_hours\": 241, " + PROBE + "}", "retention_hours", "must be at most 240");
        submit("{" + UPLOAD + ", \"max_duration_seconds\": 3600, \"retention_hours\": 240, " + PROBE + "}")
                .statusCode(400).body("code", equalTo("upload_missing"));
    }

    @Test
    void aBadIdempotencyKeyIsRefusedNamingTheHeader() {
        given().header("Idempotency-Key", "has spaces").contentType("application/json")
                .body("{" + UPLOAD + ", " + PROBE + "}").post("/v1/jobs").then().statusCode(400)
                .body("code", equalTo("invalid_idempotency_key"))
                .body("errors.field", hasItem("Idempotency-Key"));
        given().header("Idempotency-Key", "k".repeat(256)).contentType("application/json")
                .body("{" + UPLOAD + ", " + PROBE + "}").post("/v1/jobs").then().statusCode(400)
                .body("code", equalTo("invalid_idempotency_key"));
    }

    @Test
    void contentTypesMustBeMediaTypes() {
        given().contentType("application/json")
                .body("{\"filename\": \"a.mp4\", \"content_type\": \"video/mp4\\u0000\", \"size\": 10}")
                .post("/v1/uploads").then().statusCode(400).body("code", equalTo("invalid_spec"))
                .body("errors.field", hasItem("content_type"));
        given().contentType("application/json")
                .body("{\"filename\": \"a.mp4\", \"content_type\": \"not a type\", \"size\": 10}")
                .post("/v1/uploads").then().statusCode(400).body("errors.field", hasItem("content_type"));
        given().multiPart("file", "clip.mp4", Fixtures.mp4("bad type"), "video/mp4;;;")
                .multiPart("spec", "{" + PROBE + "}", "application/json")
                .post("/v1/jobs").then().statusCode(400).body("code", equalTo("invalid_spec"))
                .body("errors.field", hasItem("file.content_type"));
    }

    @Test
    void aMultipartFileNameWithControlsAndAPathIsCleanedAndTheJobShowsTheCleanedName() throws Exception {
        // Raw bytes, as a hostile client sends them: a NUL and a path in the quoted file name.
        String boundary = "b" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"spec\"\r\n"
                + "Content-Type: application/json\r\n\r\n{" + PROBE + "}\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"../../etc/ev\u0000il\u0007.mp4\"\r\nContent-Type: video/mp4\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Fixtures.mp4("raw multipart"));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        Response accepted = given().contentType("multipart/form-data; boundary=" + boundary).body(body.toByteArray())
                .post("/v1/jobs");
        accepted.then().statusCode(202).body("input.filename", equalTo("evil.mp4"));
        UUID jobId = UUID.fromString(accepted.jsonPath().getString("id"));
        JobRequested requested = (JobRequested) Fixtures.event(Topics.requests("default"), jobId, JobRequested.class);
        assertThat(requested.input().filename()).isEqualTo("evil.mp4");
        given().get("/v1/jobs/" + jobId).then().statusCode(200).body("input.filename", equalTo("evil.mp4"));
    }

    @Test
    void aDeclaredUploadFileNameIsCleanedToo() throws Exception {
        String upload = SubmitTest.upload("..\\..\\dir/ev\u0000il\nname\u202e.mp4", "video/mp4", Fixtures.mp4("declared"));
        Response accepted = given().contentType("application/json")
                .body("{\"upload_id\": \"" + upload + "\", " + PROBE + "}").post("/v1/jobs");
        accepted.then().statusCode(202).body("input.filename", equalTo("evilname.mp4"));
    }
}
