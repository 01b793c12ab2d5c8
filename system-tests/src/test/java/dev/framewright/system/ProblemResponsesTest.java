package dev.framewright.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error a client can cause is an application/problem+json with a stable code. */
class ProblemResponsesTest extends SystemTest {

    static Path upload;

    @BeforeAll
    static void writeUpload() throws Exception {
        upload = Files.writeString(media.resolve("clip.mp4"), "bytes");
    }

    @Test
    void shouldAnswer404ProblemForAnUnknownJob() {
        given().when().get("/v1/jobs/{id}", UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("not_found")).body("status", equalTo(404));
        given().when().get("/v1/jobs/not-a-uuid").then().statusCode(404).body("code", equalTo("not_found"));
        given().when().get("/v1/jobs/{id}/outputs/small", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("not_found"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json                 | {outputs:                                                     | not valid JSON",
            "no outputs               | {\"outputs\":[]}                                               | outputs",
            "unknown output type      | {\"outputs\":[{\"name\":\"a\",\"type\":\"hologram\"}]}        | expected one of video, hls, thumbnails, image",
            "bad output name          | {\"outputs\":[{\"name\":\"Bad Name\",\"type\":\"video\"}]}    | outputs[0].name",
            "duplicate output names   | {\"outputs\":[{\"name\":\"a\",\"type\":\"video\"},{\"name\":\"a\",\"type\":\"image\"}]} | used twice",
            "unknown field            | {\"outputs\":[{\"name\":\"a\",\"type\":\"video\",\"colour\":1}]} | colour",
            "width out of range       | {\"outputs\":[{\"name\":\"a\",\"type\":\"video\",\"width\":0}]} | outputs[0].width",
    })
    void shouldAnswer400ProblemForAMalformedSpec(String caseName, String spec, String mentioned) {
        given().multiPart("file", upload.toFile(), "video/mp4").multiPart("spec", spec, "application/json")
                .when().post("/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_spec"))
                .body(mentioned.startsWith("outputs[") ? "errors.field" : "detail",
                        mentioned.startsWith("outputs[") ? hasItem(mentioned) : containsString(mentioned));
    }

    @Test
    void shouldAnswer400ProblemWhenTheSpecOrFileIsMissing() {
        given().multiPart("file", upload.toFile(), "video/mp4").when().post("/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("invalid_spec"));
        given().multiPart("spec", "{\"outputs\":[{\"name\":\"a\",\"type\":\"video\"}]}", "application/json")
                .when().post("/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("missing_file"));
    }
}
