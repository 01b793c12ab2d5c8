package dev.framewright.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The job API beyond submit-and-poll: direct uploads, idempotency, listing, cancel, retry, live events, tenants. */
class JobLifecycleApiTest extends SystemTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldRunAJobFromADirectUploadThroughAPresignedUrl() throws Exception {
        Path clip = Media.clip(media, 320, 240, 1);
        JsonPath upload = given().contentType("application/json")
                .body("{\"filename\":\"clip.mp4\",\"content_type\":\"video/mp4\",\"size\":" + java.nio.file.Files.size(clip) + "}")
                .post("/v1/uploads").then().statusCode(201).extract().jsonPath();
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(upload.getString("url")))
                .header("Content-Type", "video/mp4")
                .PUT(HttpRequest.BodyPublishers.ofFile(clip)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        String id = given().contentType("application/json")
                .body("{\"upload_id\":\"" + upload.getString("upload_id") + "\",\"queue\":\"express\","
                        + "\"outputs\":[{\"name\":\"still\",\"type\":\"image\",\"width\":64}]}")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
        JsonPath done = Jobs.awaitTerminal(id);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getString("queue")).isEqualTo("express");
        assertThat(Media.decode(Jobs.download(id, "still", media)).width()).isEqualTo(64);

        given().contentType("application/json")
                .body("{\"upload_id\":\"" + UUID.randomUUID() + "\",\"outputs\":[{\"name\":\"a\",\"type\":\"probe\"}]}")
                .post("/v1/jobs").then().statusCode(400).body("code", equalTo("upload_missing"));
    }

    @Test
    void shouldReturnTheSameJobForARetriedRequestAndRefuseAReusedKey() throws Exception {
        Path clip = Media.clip(media, 320, 240, 1);
        String key = "order-" + UUID.randomUUID();
        String spec = "{\"outputs\":[{\"name\":\"meta\",\"type\":\"probe\"}]}";
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> attempts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                attempts.add(clients.submit(() -> given().header("Idempotency-Key", key)
                        .multiPart("file", clip.toFile(), "video/mp4").multiPart("spec", spec, "application/json")
                        .post("/v1/jobs").then().statusCode(org.hamcrest.Matchers.oneOf(200, 202))
                        .extract().<String>path("id")));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> attempt : attempts) {
                ids.add(attempt.get());
            }
            assertThat(ids).as("concurrent retries with one key make one job").hasSize(1);
        } finally {
            clients.shutdownNow();
        }
        given().header("Idempotency-Key", key)
                .multiPart("file", clip.toFile(), "video/mp4")
                .multiPart("spec", "{\"outputs\":[{\"name\":\"other\",\"type\":\"probe\"}]}", "application/json")
                .post("/v1/jobs").then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("idempotency_key_reused"));
    }

    @Test
    void shouldListJobsNewestFirstWithFiltersAndAStableCursor() throws Exception {
        Path clip = Media.clip(media, 320, 240, 1);
        String batch = "b" + UUID.randomUUID().toString().substring(0, 8);
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            submitted.add(Jobs.submit(clip, "video/mp4", "{\"outputs\":[{\"name\":\"meta\",\"type\":\"probe\"}],"
                    + "\"labels\":{\"batch\":\"" + batch + "\",\"parity\":\"" + (i % 2 == 0 ? "even" : "odd") + "\"}}")
                    .then().statusCode(202).extract().<String>path("id"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("label", "batch:" + batch).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/jobs").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("jobs.id"));
            cursor = page.getString("next_cursor");
            if (pages++ == 0) {
                // A job created while paging must not shift the pages already handed out.
                Jobs.submit(clip, "video/mp4", "{\"outputs\":[{\"name\":\"meta\",\"type\":\"probe\"}],"
                        + "\"labels\":{\"batch\":\"" + batch + "\"}}").then().statusCode(202);
            }
        } while (cursor != null);
        List<String> newestFirst = new ArrayList<>(submitted);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).as("every job once, newest first").containsExactlyElementsOf(newestFirst);

        JsonPath odd = given().queryParam("label", "batch:" + batch).queryParam("label", "parity:odd")
                .get("/v1/jobs").then().statusCode(200).extract().jsonPath();
        assertThat(odd.getList("jobs.id")).containsExactlyInAnyOrder(submitted.get(1), submitted.get(3), submitted.get(5));
        given().queryParam("status", "teleported").get("/v1/jobs").then().statusCode(400);
    }

    @Test
    void shouldCancelARunningJobWithinSecondsAndRemoveItsOutputs() throws Exception {
        Path clip = Media.clip(media, 1280, 720, 30);
        // a crf asks for an encode: without it, a 720p output of a 720p H.264 clip would be a stream copy of a second
        String id = Jobs.submit(clip, "video/mp4",
                "{\"outputs\":[{\"name\":\"hd\",\"type\":\"video\",\"height\":720,\"crf\":23}]}")
                .then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(Jobs.get(id).getString("status"))
                && Jobs.get(id).getDouble("progress.percent") > 0);

        long asked = System.nanoTime();
        given().delete("/v1/jobs/{id}", id).then().statusCode(202);
        JsonPath canceled = Jobs.awaitTerminal(id);
        double seconds = (System.nanoTime() - asked) / 1e9;
        assertThat(canceled.getString("status")).isEqualTo("canceled");
        assertThat(seconds).as("a running transcode stops within 5 s").isLessThan(5.0);
        given().get("/v1/jobs/{id}/outputs/hd", id).then().statusCode(409);
        given().delete("/v1/jobs/{id}", id).then().statusCode(409).body("code", equalTo("job_finished"));
    }

    @Test
    void shouldStreamEveryEventAndResumeWithoutGaps() throws Exception {
        Path clip = Media.clip(media, 640, 360, 4);
        String id = Jobs.submit(clip, "video/mp4", "{\"outputs\":[{\"name\":\"v\",\"type\":\"video\",\"height\":240}]}")
                .then().statusCode(202).extract().path("id");
        List<String[]> first = readEvents(id, null, 3);
        assertThat(first).hasSize(3);
        String resumeAfter = first.get(1)[0];
        List<String[]> rest = readEvents(id, resumeAfter, Integer.MAX_VALUE);
        assertThat(rest.get(0)[0]).as("resumes right after the last seen id").isEqualTo(first.get(2)[0]);
        List<Long> ids = rest.stream().map(e -> Long.parseLong(e[0])).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(rest.get(rest.size() - 1)[1]).as("the stream ends with the terminal event").isEqualTo("completed");
        assertThat(first.get(0)[1]).isEqualTo("requested");
    }

    /** Reads an SSE stream until it closes or {@code max} events came; each event as {id, event}. */
    private static List<String[]> readEvents(String id, String lastEventId, int max) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(RunningSystem.get().apiBaseUrl() + "/v1/jobs/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + dev.framewright.localstack.Framewright.DEV_API_KEY)
                .timeout(Duration.ofMinutes(2));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String[]> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String eventId = null;
            String type = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("id:")) {
                    eventId = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                } else if (line.isEmpty() && eventId != null) {
                    events.add(new String[] {eventId, type});
                    eventId = null;
                    type = null;
                    if (events.size() >= max) {
                        break;
                    }
                }
            }
        }
        return events;
    }

    @Test
    void shouldRetryOnlyTheFailedOutputs() throws Exception {
        Path clip = Media.clip(media, 320, 240, 2);
        // The trim starts after the end of the clip: that output fails on its own, the still succeeds.
        String id = Jobs.submit(clip, "video/mp4", """
                {"outputs":[{"name":"still","type":"image","width":64},
                            {"name":"late","type":"video","start":30,"duration":1}]}""")
                .then().statusCode(202).extract().path("id");
        JsonPath failed = Jobs.awaitTerminal(id);
        assertThat(failed.getString("status")).as(failed.prettify()).isEqualTo("failed");
        assertThat(failed.getString("outputs.find { it.name == 'still' }.status")).isEqualTo("succeeded");
        assertThat(failed.getString("outputs.find { it.name == 'late' }.error.code")).isEqualTo("invalid_output");
        given().post("/v1/jobs/{id}/retry", id).then().statusCode(202);
        JsonPath again = Jobs.awaitTerminalAfter(id, failed.getString("finished_at"));
        assertThat(again.getString("outputs.find { it.name == 'still' }.status")).isEqualTo("succeeded");
        assertThat(again.getInt("attempts")).isGreaterThan(failed.getInt("attempts"));
    }

    @Test
    void shouldNotLetOneTenantSeeAnothersJobs() throws Exception {
        Path clip = Media.clip(media, 320, 240, 1);
        String id = Jobs.submit(clip, "video/mp4", "{\"outputs\":[{\"name\":\"meta\",\"type\":\"probe\"}]}")
                .then().statusCode(202).extract().path("id");
        Response other = given().header("Authorization", "Bearer " + RunningSystem.OTHER_TENANT_KEY)
                .get("/v1/jobs/{id}", id);
        other.then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + RunningSystem.OTHER_TENANT_KEY).delete("/v1/jobs/{id}", id)
                .then().statusCode(404);
        assertThat(given().header("Authorization", "Bearer " + RunningSystem.OTHER_TENANT_KEY).get("/v1/jobs")
                .then().statusCode(200).extract().jsonPath().getList("jobs.id")).doesNotContain(id);
        given().header("Authorization", "Bearer fw_not_a_key").get("/v1/jobs/{id}", id)
                .then().statusCode(401).body("code", equalTo("unauthorized"));
    }
}
