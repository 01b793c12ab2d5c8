package dev.framewright.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The HTTP client side of the tests: submit, poll, download. */
final class Jobs {

    private Jobs() {
    }

    static Response submit(Path file, String contentType, String spec) {
        return given()
                .multiPart("file", file.toFile(), contentType)
                .multiPart("spec", spec, "application/json")
                .when().post("/v1/jobs");
    }

    static JsonPath get(String id) {
        return given().when().get("/v1/jobs/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    /** Polls until the job is terminal; returns its final document. */
    static JsonPath awaitTerminal(String id) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonPath job = get(id);
            last.set(job);
            return List.of("succeeded", "failed", "canceled").contains(job.getString("status"));
        });
        return last.get();
    }

    /** Polls until the job is terminal again after a retry: its finished_at moved on from {@code previousFinish}. */
    static JsonPath awaitTerminalAfter(String id, String previousFinish) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonPath job = get(id);
            last.set(job);
            return List.of("succeeded", "failed", "canceled").contains(job.getString("status"))
                    && !java.util.Objects.equals(job.getString("finished_at"), previousFinish);
        });
        return last.get();
    }

    /** One file of an output, by its path in the output (e.g. {@code 720p/index.m3u8}). */
    static Path downloadFile(String id, String output, String path, Path dir) throws IOException {
        Response response = given().when().get("/v1/jobs/" + id + "/outputs/" + output + "/" + path)
                .then().statusCode(200).extract().response();
        Path target = dir.resolve(id + "-" + output + "-" + path.replace('/', '_'));
        try (InputStream body = response.asInputStream()) {
            Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    static Path download(String id, String output, Path dir) throws IOException {
        Response response = given().when().get("/v1/jobs/{id}/outputs/{name}", id, output)
                .then().statusCode(200).extract().response();
        Path target = dir.resolve(id + "-" + output);
        try (InputStream body = response.asInputStream()) {
            Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
