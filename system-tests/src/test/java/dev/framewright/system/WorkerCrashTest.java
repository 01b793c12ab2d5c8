package dev.framewright.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.framewright.localstack.Framewright;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A transcoder dies in the middle of a job, or is told to stop: the job still ends once, with playable output. */
class WorkerCrashTest extends SystemTest {

    @Test
    void shouldFinishAJobOnTheNextAttemptWhenItsWorkerIsKilled() throws Exception {
        Framewright system = RunningSystem.get();
        Path clip = Media.clip(media, 1280, 720, 20);
        String id = Jobs.submit(clip, "video/mp4", "{\"outputs\":[{\"name\":\"hd\",\"type\":\"video\",\"height\":480}]}")
                .then().statusCode(202).extract().path("id");
        awaitRunningWithProgress(id);

        system.transcoder().kill(); // SIGKILL: no shutdown hook, no commit, no terminal event
        system.startTranscoder(0);

        JsonPath done = Jobs.awaitTerminal(id);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getInt("attempts")).isEqualTo(2);
        Media.Decoded video = Media.decode(Jobs.download(id, "hd", media));
        assertThat(video.height()).isEqualTo(480);
        assertThat(video.durationSeconds()).isCloseTo(20.0, within(0.2));
    }

    @Test
    void shouldHandARunningJobOverCleanlyOnSigterm() throws Exception {
        Framewright system = RunningSystem.get();
        Path clip = Media.clip(media, 1280, 720, 20);
        String id = Jobs.submit(clip, "video/mp4", "{\"outputs\":[{\"name\":\"hd\",\"type\":\"video\",\"height\":480}]}")
                .then().statusCode(202).extract().path("id");
        awaitRunningWithProgress(id);

        system.transcoder().close(); // SIGTERM: finish within the grace period or release the job
        system.startTranscoder(0);

        JsonPath done = Jobs.awaitTerminal(id);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getInt("attempts")).isBetween(1, 2);
        assertThat(Media.decode(Jobs.download(id, "hd", media)).durationSeconds()).isCloseTo(20.0, within(0.2));
    }

    private static void awaitRunningWithProgress(String id) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonPath job = Jobs.get(id);
            return "running".equals(job.getString("status")) && job.getDouble("progress.percent") > 5;
        });
    }
}
