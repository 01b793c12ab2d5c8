package dev.framewright.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client's whole journey: upload a clip, watch it run, download and decode what came out. */
class TranscodeJobTest extends SystemTest {

    @Test
    void shouldTranscodeAClipAndServeAPlayableVideoAndAThumbnail() throws Exception {
        Path clip = Media.clip(media, 1280, 720, 3);

        Response accepted = Jobs.submit(clip, "video/mp4", """
                {"outputs":[{"name":"small","type":"video","width":640,"height":360},
                            {"name":"thumb","type":"image","width":100,"height":100}]}""");
        accepted.then().statusCode(202)
                .header("Location", startsWith(RunningSystem.get().apiBaseUrl() + "/v1/jobs/"))
                .body("status", equalTo("queued"))
                .body("outputs.name", equalTo(List.of("small", "thumb")));
        String id = accepted.jsonPath().getString("id");
        assertThat(accepted.header("Location")).endsWith("/v1/jobs/" + id);

        // Straight after the 202 the job is already readable, even if the projector has not caught up yet.
        given().when().get("/v1/jobs/{id}", id).then().statusCode(200).body("id", equalTo(id));

        JsonPath done = Jobs.awaitTerminal(id);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getDouble("progress.percent")).isEqualTo(100.0);
        assertThat(done.getString("started_at")).isNotNull();
        assertThat(done.getString("finished_at")).isNotNull();
        assertThat(done.getInt("input.media.width")).isEqualTo(1280);
        assertThat(done.getList("outputs.status")).containsOnly("succeeded");
        assertThat(done.getString("outputs[0].files[0].path")).isEqualTo("video.mp4");
        assertThat(done.getString("outputs[0].files[0].content_type")).isEqualTo("video/mp4");

        Path downloaded = Jobs.download(id, "small", media);
        Media.Decoded video = Media.decode(downloaded);
        assertThat(video.videoCodec()).isEqualTo("h264");
        assertThat(video.width()).isEqualTo(640);
        assertThat(video.height()).isEqualTo(360);
        assertThat(video.durationSeconds()).isCloseTo(3.0, within(0.1));
        assertThat(video.videoFrames()).isBetween(73, 77);
        assertThat(video.audioCodec()).isEqualTo("aac");
        assertThat(video.audioChannels()).isPositive();
        assertThat(done.getInt("outputs[0].media.width")).isEqualTo(640);

        // Players seek with byte ranges.
        byte[] whole = java.nio.file.Files.readAllBytes(downloaded);
        byte[] part = given().header("Range", "bytes=100-199").when().get("/v1/jobs/{id}/outputs/small", id)
                .then().statusCode(206).header("Content-Range", "bytes 100-199/" + whole.length)
                .header("Accept-Ranges", "bytes").extract().asByteArray();
        assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(whole, 100, 200));
        given().header("Range", "bytes=" + whole.length + "-").when().get("/v1/jobs/{id}/outputs/small", id)
                .then().statusCode(416).contentType("application/problem+json")
                .header("Content-Range", "bytes */" + whole.length)
                .body("code", equalTo("range_not_satisfiable"));

        Media.Decoded thumb = Media.decode(Jobs.download(id, "thumb", media));
        assertThat(thumb.videoCodec()).isEqualTo("mjpeg");
        assertThat(thumb.width()).isLessThanOrEqualTo(100);
        assertThat(thumb.height()).isLessThanOrEqualTo(100);
        assertThat(Math.max(thumb.width(), thumb.height())).isEqualTo(100);
        assertThat((double) thumb.width() / thumb.height()).isCloseTo(16.0 / 9, within(0.05));
    }

    @Test
    void shouldShowProgressInTheReadModelWhileTheJobRuns() throws Exception {
        Path clip = Media.clip(media, 1280, 720, 20);
        // a crf asks for an encode (the same size alone would be a stream copy, done in well under a second)
        String id = Jobs.submit(clip, "video/mp4", """
                {"outputs":[{"name":"hd","type":"video","height":720,"crf":23}]}""")
                .then().statusCode(202).extract().jsonPath().getString("id");

        List<Double> seen = new ArrayList<>();
        JsonPath job;
        do {
            job = Jobs.get(id);
            if ("running".equals(job.getString("status"))) {
                seen.add(job.getDouble("progress.percent"));
            }
            Thread.sleep(100);
        } while (!List.of("succeeded", "failed").contains(job.getString("status")));

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(seen).as("percentages seen while running").anyMatch(p -> p > 0 && p < 100);
        assertThat(seen).as("progress never moves backwards").isSorted();
    }

    @Test
    void shouldFailUndecodableMediaWithUnsupportedMediaAndGoOnToTheNextJob() throws Exception {
        // Looks like an MP4 (it passes the upload's sniffing) but no decoder can read it.
        Path text = HostileMedia.mp4HeaderThenNoise(media);
        String bad = Jobs.submit(text, "video/mp4", """
                {"outputs":[{"name":"small","type":"video","width":320}]}""")
                .then().statusCode(202).extract().jsonPath().getString("id");

        JsonPath failed = Jobs.awaitTerminal(bad);
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getString("error.code")).isEqualTo("unsupported_media");
        assertThat(failed.getString("error.message")).isNotBlank();
        assertThat(failed.getList("outputs.status")).containsOnly("failed");
        given().when().get("/v1/jobs/{id}/outputs/small", bad).then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("output_not_ready"));

        // The worker is not wedged: the next job goes through.
        Path clip = Media.clip(media, 320, 240, 1);
        String good = Jobs.submit(clip, "video/mp4", """
                {"outputs":[{"name":"still","type":"image"}]}""")
                .then().statusCode(202).extract().jsonPath().getString("id");
        assertThat(Jobs.awaitTerminal(good).getString("status")).isEqualTo("succeeded");
    }

    @Test
    void shouldFinishEveryJobOfAConcurrentBurst() throws Exception {
        Path clip = Media.clip(media, 320, 240, 1);
        int jobs = 24;
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                submitted.add(clients.submit(() -> Jobs.submit(clip, "video/mp4", """
                        {"outputs":[{"name":"still","type":"image","width":64}]}""")
                        .then().statusCode(202).extract().jsonPath().getString("id")));
            }
            for (java.util.concurrent.Future<String> id : submitted) {
                // Each job was readable at once and ends succeeded: none lost between job-api, Kafka and the projector.
                JsonPath done = Jobs.awaitTerminal(id.get());
                assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void shouldResizeAnImageInputToAThumbnail() throws Exception {
        Path clip = Media.clip(media, 640, 480, 1);
        String id = Jobs.submit(clip, "video/mp4", """
                {"outputs":[{"name":"frame","type":"image","width":400,"height":400,"at_seconds":0.5}]}""")
                .then().statusCode(202).extract().jsonPath().getString("id");
        assertThat(Jobs.awaitTerminal(id).getString("status")).isEqualTo("succeeded");
        Path still = Jobs.download(id, "frame", media);

        // Feed the still back in as an image input: the classic 100x100 thumbnail.
        String thumbJob = Jobs.submit(still, "image/jpeg", """
                {"outputs":[{"name":"thumb","type":"image","width":100,"height":100}]}""")
                .then().statusCode(202).extract().jsonPath().getString("id");
        JsonPath done = Jobs.awaitTerminal(thumbJob);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        Media.Decoded thumb = Media.decode(Jobs.download(thumbJob, "thumb", media));
        assertThat(thumb.width()).isEqualTo(100);
        assertThat(thumb.height()).isEqualTo(75);
    }
}
