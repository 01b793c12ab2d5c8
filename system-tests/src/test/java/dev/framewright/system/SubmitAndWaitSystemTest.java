package dev.framewright.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Submit and wait: {@code Prefer: wait=N} with an inline base64 picture, run by the real transcoder and projector,
 * answers the finished job with its files; a job that takes longer is the usual 202 once the wait is over.
 */
class SubmitAndWaitSystemTest extends SystemTest {

    private static String inlinePicture() throws Exception {
        BufferedImage picture = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", png);
        return """
                {"input": {"base64": "%s", "filename": "tiny.png", "content_type": "image/png"},
                 "outputs": [{"name": "thumb", "type": "image", "width": 80}, {"name": "meta", "type": "probe"}]}"""
                .formatted(Base64.getEncoder().encodeToString(png.toByteArray()));
    }

    @Test
    void shouldAnswerTheFinishedJobWithItsFilesWhenItEndsWithinTheWait() throws Exception {
        long started = System.nanoTime();
        Response answer = given().contentType("application/json").header("Prefer", "wait=20")
                .body(inlinePicture()).when().post("/v1/jobs");
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        answer.then().statusCode(200).header("Preference-Applied", "wait=20");
        JsonPath job = answer.jsonPath();
        assertThat(job.getString("status")).as(job.prettify()).isEqualTo("succeeded");
        assertThat(job.getString("input.filename")).isEqualTo("tiny.png");
        assertThat(job.getInt("input.media.width")).isEqualTo(160);
        assertThat(job.getList("outputs.status")).containsOnly("succeeded");
        assertThat(job.getList("outputs[0].files")).isNotEmpty();
        System.out.printf("Prefer: wait=20 on a 160x120 PNG: 200 succeeded after %d ms%n", tookMs);

        Media.Decoded thumb = Media.decode(Jobs.download(job.getString("id"), "thumb", media));
        assertThat(thumb.width()).isEqualTo(80);
        assertThat(thumb.height()).isEqualTo(60);
    }

    @Test
    void shouldAnswer202AtOnceWithoutAWait() throws Exception {
        for (String prefer : new String[] {"wait=0", null}) {
            long started = System.nanoTime();
            var request = given().contentType("application/json").body(inlinePicture());
            Response answer = (prefer == null ? request : request.header("Prefer", prefer)).when().post("/v1/jobs");
            answer.then().statusCode(202);
            assertThat(answer.header("Preference-Applied")).isNull();
            assertThat(answer.jsonPath().getString("status")).isEqualTo("queued");
            assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis()).as(prefer).isLessThan(1_000);
            assertThat(Jobs.awaitTerminal(answer.jsonPath().getString("id")).getString("status"))
                    .isEqualTo("succeeded");
        }
    }

    @Test
    void shouldAnswer202AfterTheWaitWhenTheJobTakesLonger() throws Exception {
        Path clip = Media.clip(media, 1280, 720, 20);
        long started = System.nanoTime();
        Response answer = given().header("Prefer", "wait=1")
                .multiPart("file", clip.toFile(), "video/mp4")
                .multiPart("spec", "{\"outputs\":[{\"name\":\"hd\",\"type\":\"video\",\"height\":720,\"crf\":23}]}",
                        "application/json")
                .when().post("/v1/jobs");
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        answer.then().statusCode(202).header("Preference-Applied", "wait=1");
        assertThat(tookMs).isBetween(1_000L, 5_000L);
        String id = answer.jsonPath().getString("id");
        given().when().delete("/v1/jobs/{id}", id); // nobody needs it: free the worker for the other tests
        Jobs.awaitTerminal(id);
    }
}
