package dev.framewright.api.job;

import dev.framewright.api.testing.Fixtures;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.framewright.api.testing.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** Bad specs are a 400 naming the field, before anything is stored or queued. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class SpecValidationTest {

    private static final String UPLOAD = "\"upload_id\": \"00000000-0000-0000-0000-000000000000\"";

    private static ValidatableResponse submit(String body) {
        return given().contentType("application/json").body(body).post("/v1/jobs").then();
    }

    private static void invalid(String body, String field, String message) {
        submit(body).statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("invalid_spec"))
                .body("errors.field", hasItem(field))
                .body("detail", containsString(message));
    }

    @Test
    void unknownOutputType() {
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"a\", \"type\": \"hologram\"}]}", "outputs[0].type",
                "'hologram' is not an output type, expected one of video, hls, thumbnails, image, audio, preview, probe, faces, captions, describe");
    }

    @Test
    void subtitleTracksGoIntoMp4OnlyAndCaptionsTakeNoParameters() {
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"w\", \"type\": \"video\", \"container\": \"webm\", "
                + "\"captions\": true}]}", "outputs[0].captions", "mp4 only");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"c\", \"type\": \"captions\", \"format\": \"srt\"}]}",
                "outputs[0].format", "");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"h\", \"type\": \"hls\", \"captions\": \"no\"}]}",
                "outputs[0].captions", "");
    }

    @Test
    void duplicateAndInvalidNames() {
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"a\", \"type\": \"probe\"}, {\"name\": \"a\", \"type\": \"probe\"}]}",
                "outputs[1].name", "used twice");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"../x\", \"type\": \"probe\"}]}", "outputs[0].name",
                "must match");
    }

    @Test
    void sizesMustBePositive() {
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"width\": -640}]}",
                "outputs[0].width", "between 2 and 8192");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"t\", \"type\": \"thumbnails\", \"width\": 0}]}",
                "outputs[0].width", "between 2 and 3840");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"h\", \"type\": \"hls\", \"renditions\": [{\"height\": 720, \"bitrate_kbps\": 0}]}]}",
                "outputs[0].renditions[0].bitrate_kbps", "between 50 and 100000");
    }

    /** Values the API once accepted and the transcoder then failed with invalid_output: now the same rulebook. */
    @Test
    void limitsAreTheTranscodersOwn() {
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"bitrate_kbps\": 49}]}",
                "outputs[0].bitrate_kbps", "between 50 and 100000");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"fps\": 121}]}",
                "outputs[0].fps", "at most 120");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"h\", \"type\": \"hls\", \"segment_seconds\": 0.5}]}",
                "outputs[0].segment_seconds", "between 1 and 60");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"h\", \"type\": \"hls\", \"renditions\": [{\"height\": 8, \"bitrate_kbps\": 800}]}]}",
                "outputs[0].renditions[0].height", "between 16 and 4320");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"p\", \"type\": \"preview\", \"duration\": 31}]}",
                "outputs[0].duration", "at most 30");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"p\", \"type\": \"preview\", \"width\": 8}]}",
                "outputs[0].width", "between 16 and 1920");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"p\", \"type\": \"preview\", \"fps\": 55}]}",
                "outputs[0].fps", "at most 50");
        // A count the transcoder runs (up to 2000 stills) and an image 1 pixel wide, both refused before.
        submit("{" + UPLOAD + ", \"outputs\": [{\"name\": \"t\", \"type\": \"thumbnails\", \"count\": 2000},"
                + " {\"name\": \"i\", \"type\": \"image\", \"width\": 1}]}")
                .statusCode(400).body("code", equalTo("upload_missing"));
    }

    @Test
    void everySecondsOrCountNotBoth() {
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"t\", \"type\": \"thumbnails\", \"every_seconds\": 2, \"count\": 5}]}",
                "outputs[0].count", "either every_seconds or count");
    }

    @Test
    void facesSamplingAndRedactionAreChecked() {
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"f\", \"type\": \"faces\", \"every_seconds\": 0.001}]}",
                "outputs[0].every_seconds", "between 0.04 and 3600");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"redact_faces\": \"erase\"}]}",
                "outputs[0].redact_faces", "expected one of blur, pixelate");
    }

    @Test
    void describeLimitsAreCheckedFirst() {
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"d\", \"type\": \"describe\", \"top\": 0}]}",
                "outputs[0].top", "between 1 and 100");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"d\", \"type\": \"describe\", \"every_seconds\": 0.01}]}",
                "outputs[0].every_seconds", "between 0.1 and 3600");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"d\", \"type\": \"describe\", \"max_samples\": 5000}]}",
                "outputs[0].max_samples", "between 1 and 2000");
    }

    /** This test deployment has no classifier model (FRAMEWRIGHT_DESCRIBE_MODEL unset): describe is refused. */
    @Test
    void describeIsRefusedWithModelUnavailableWithoutAModel() {
        submit("{" + UPLOAD + ", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}, "
                + "{\"name\": \"d\", \"type\": \"describe\", \"top\": 3}]}")
                .statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("model_unavailable"))
                .body("errors.field", hasItem("outputs[1].type"))
                .body("detail", containsString("FRAMEWRIGHT_DESCRIBE_MODEL"));
    }

    @Test
    void overlayOpacityWithinZeroAndOne() {
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"overlay\": {\"opacity\": 1.5}}]}",
                "outputs[0].overlay.opacity", "between 0 and 1");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"overlay\": {\"position\": \"middle\"}}]}",
                "outputs[0].overlay.position", "expected one of top-left, top-right, bottom-left, bottom-right, center");
    }

    @Test
    void anOverlayOnFacesTakesNoFramePlacementAndTheRawFramesNoFaces() {
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"overlay\": {\"anchor\": \"faces\", "
                + "\"x\": 4, \"y\": 4}}]}", "outputs[0].overlay.x", "does not go with \"anchor\": \"faces\"");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"overlay\": {\"anchor\": \"faces\", "
                + "\"max_faces\": 33}}]}", "outputs[0].overlay.max_faces", "between 1 and 32");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"autorotate\": false, "
                + "\"redact_faces\": \"blur\"}]}", "outputs[0].redact_faces", "does not go with \"autorotate\": false");
    }

    @Test
    void unknownFieldsAndWrongTypes() {
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"bitrate\": 5}]}",
                "outputs[0].bitrate", "is not a known field");
        invalid("{" + UPLOAD + ", \"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"width\": \"640\"}]}",
                "outputs[0].width", "wrong type");
        invalid("{" + UPLOAD + ", \"outputs\": []}", "outputs", "1 to 32 outputs");
    }

    @Test
    void hugeSpecsAndTooManyOutputs() {
        StringBuilder outputs = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            outputs.append(i == 0 ? "" : ",").append("{\"name\": \"p").append(i).append("\", \"type\": \"probe\"}");
        }
        invalid("{" + UPLOAD + ", \"outputs\": [" + outputs + "]}", "outputs", "1 to 32 outputs");
        invalid("{" + UPLOAD + ", \"labels\": {\"k\": \"" + "x".repeat(70_000) + "\"}, \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}",
                "spec", "at most 65536");
        // Larger than a spec may be at all: refused without reading it whole.
        invalid("{" + UPLOAD + ", \"labels\": {\"k\": \"" + "x".repeat(5_000_000) + "\"}}", "spec", "at most 65536");
    }

    @Test
    void labelsQueueWebhookAndUpload() {
        invalid("{" + UPLOAD + ", \"labels\": {\"Bad Key\": \"v\"}, \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}",
                "labels[\"Bad Key\"]", "label keys must match");
        invalid("{" + UPLOAD + ", \"labels\": {\"k\": \"" + "v".repeat(257) + "\"}, \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}",
                "labels[\"k\"]", "at most 256");
        invalid("{" + UPLOAD + ", \"webhook\": {\"url\": \"ftp://example.com/hook\"}, \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}",
                "webhook.url", "http or https");
        invalid("{\"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}", "upload_id", "is required");
        submit("{" + UPLOAD + ", \"queue\": \"nope\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .statusCode(400).body("code", equalTo("unknown_queue")).body("detail", containsString("[default, express]"));
        submit("{" + UPLOAD + ", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .statusCode(400).body("code", equalTo("upload_missing"));
    }

    @Test
    void multipartSpecsMayBeLargerThanAFormField() {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            labels.append(i == 0 ? "" : ",").append("\"label-").append(i).append("\": \"").append("v".repeat(250)).append('"');
        }
        String spec = "{\"labels\": {" + labels + "}, \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}";
        org.assertj.core.api.Assertions.assertThat(spec.length()).isGreaterThan(8000);
        given().multiPart("file", "clip.mp4", Fixtures.mp4("clip"), "video/mp4")
                .multiPart("spec", spec, "application/json")
                .post("/v1/jobs").then().statusCode(202).body("labels.label-31", equalTo("v".repeat(250)));
    }

    @Test
    void multipartSpecIsCheckedToo() {
        given().multiPart("file", "clip.mp4", Fixtures.mp4("clip"), "video/mp4")
                .multiPart("spec", "{\"outputs\": [{\"name\": \"i\", \"type\": \"image\", \"at_seconds\": -1}]}",
                        "application/json")
                .post("/v1/jobs").then().statusCode(400)
                .body("code", equalTo("invalid_spec"))
                .body("errors.field", hasItem("outputs[0].at_seconds"));
    }
}
