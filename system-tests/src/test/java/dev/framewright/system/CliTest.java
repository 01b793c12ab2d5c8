package dev.framewright.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.cli.Main;
import dev.framewright.localstack.Framewright;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The command-line client against the running system: in-process through {@link Main#execute} (exit code,
 * stdout and stderr captured) and once through the {@code ./framewright} launcher as a process.
 */
class CliTest extends SystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    private static Map<String, String> env() {
        Framewright system = RunningSystem.get();
        Map<String, String> env = new HashMap<>();
        env.put("FRAMEWRIGHT_API_URL", system.apiBaseUrl());
        env.put("FRAMEWRIGHT_API_KEY", Framewright.DEV_API_KEY);
        env.put("KAFKA_BOOTSTRAP_SERVERS", system.infrastructure().kafkaBootstrapServers());
        env.put("FRAMEWRIGHT_CONFIG", media.resolve("no-such-config").toString()); // never the developer's own
        return env;
    }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.execute(args, env(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldSubmitWatchToSuccessThenShowListAndDownload() throws Exception {
        Path clip = Media.clip(media, 320, 240, 2);
        String label = "run=" + UUID.randomUUID().toString().substring(0, 8);
        Run submit = cli("submit", clip.toString(), "--output", "small=video:width=160,crf=30",
                "--output", "thumbs=thumbnails:every_seconds=1,sprite=true", "--label", label, "--watch");
        assertThat(submit.exit()).as(submit.toString()).isZero();
        String id = submit.out().lines().findFirst().orElseThrow();
        assertThat(UUID.fromString(id)).isNotNull();
        // Live progress lines (not a terminal: one line per change), ending at 100 % and the summary.
        assertThat(submit.out()).contains("succeeded 100%").contains("small 100%").contains("thumbs 100%")
                .contains("succeeded: 2 output(s)");

        Run status = cli("status", id, "--json");
        assertThat(status.exit()).isZero();
        assertThat(status.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(status.json().path("labels").path("run").asText()).isEqualTo(label.substring(4));
        Run human = cli("status", id);
        assertThat(human.out()).contains(id).contains("succeeded").contains("small").contains("thumbs");

        Run list = cli("list", "--status", "succeeded", "--label", label, "--json");
        assertThat(list.exit()).isZero();
        assertThat(list.json().path("jobs")).hasSize(1);
        assertThat(list.json().path("jobs").get(0).path("id").asText()).isEqualTo(id);
        assertThat(cli("list", "--label", label).out()).contains(id);

        Path all = media.resolve("cli-all");
        Run download = cli("download", id, "-o", all.toString());
        assertThat(download.exit()).as(download.toString()).isZero();
        Path video = all.resolve("small/video.mp4");
        assertThat(Media.decode(video).width()).isEqualTo(160);
        assertThat(all.resolve("thumbs/sprite.jpg")).exists();
        assertThat(all.resolve("thumbs/thumbnails.vtt")).exists();

        Path one = media.resolve("cli-one");
        Run thumbsOnly = cli("download", id, "thumbs", "-o", one.toString(), "--json");
        assertThat(thumbsOnly.exit()).isZero();
        assertThat(one.resolve("small")).doesNotExist();
        assertThat(thumbsOnly.json().findValuesAsText("output")).containsOnly("thumbs");

        Run events = cli("events", "--from-beginning", "--job", id, "--json", "--timeout", "60");
        assertThat(events.exit()).as(events.err()).isZero();
        List<String> types = new ArrayList<>();
        for (String line : events.out().lines().toList()) {
            types.add(JSON.readTree(line).path("type").asText());
        }
        assertThat(types).startsWith("started").endsWith("completed").contains("progress");
        assertThat(cli("events", "--from-beginning", "--job", id, "--timeout", "60").out())
                .contains(id + "  default  started").contains("completed  small,thumbs");
    }

    @Test
    void shouldSubmitAndWaitForTheFinishedJobInOneRequest() throws Exception {
        Path picture = media.resolve("wait.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(160, 120,
                java.awt.image.BufferedImage.TYPE_INT_RGB), "png", picture.toFile());
        Run submit = cli("submit", picture.toString(), "--output", "thumb=image:width=80", "--wait", "20",
                "--start-within", "60", "--json");
        assertThat(submit.exit()).as(submit.toString()).isZero();
        JsonNode job = submit.json();
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.path("outputs").get(0).path("files")).isNotEmpty();
    }

    @Test
    void shouldExitNonZeroWithTheErrorCodeWhenTheJobFails() throws Exception {
        Path clip = Media.clip(media, 320, 240, 2);
        // The trim starts after the end of the clip: that output fails with invalid_output.
        Run submit = cli("submit", clip.toString(), "--output", "late=video:start=30,duration=1", "--watch");
        assertThat(submit.exit()).as(submit.toString()).isEqualTo(Main.EXIT_JOB_FAILED);
        assertThat(submit.err()).contains("failed: invalid_output").contains("late: invalid_output");

        String id = submit.out().lines().findFirst().orElseThrow();
        Run watch = cli("watch", id);
        assertThat(watch.exit()).isEqualTo(Main.EXIT_JOB_FAILED);
        Run download = cli("download", id, "late");
        assertThat(download.exit()).isEqualTo(Main.EXIT_API);
        assertThat(download.err()).contains("'late' is failed");
    }

    @Test
    void shouldCancelAJobAndWatchSayCanceled() throws Exception {
        Path clip = Media.clip(media, 640, 360, 20);
        Run submit = cli("submit", clip.toString(), "--output", "big=video:height=360,crf=18");
        assertThat(submit.exit()).as(submit.toString()).isZero();
        String id = submit.out().strip();

        Run cancel = cli("cancel", id, "--json");
        assertThat(cancel.exit()).as(cancel.toString()).isZero();
        assertThat(cancel.json().path("id").asText()).isEqualTo(id);
        Run watch = cli("watch", id);
        assertThat(watch.exit()).as(watch.toString()).isEqualTo(Main.EXIT_JOB_CANCELED);
        assertThat(watch.out()).contains("canceled");

        Run again = cli("cancel", id);
        assertThat(again.exit()).isEqualTo(Main.EXIT_API);
        assertThat(again.err()).contains("(job_finished)");
    }

    @Test
    void shouldReportUsageAndApiErrorsWithTheirExitCodes() {
        Run notAnId = cli("status", "not-a-job");
        assertThat(notAnId.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(notAnId.err()).contains("Not a job id");

        Run missing = cli("status", UUID.randomUUID().toString());
        assertThat(missing.exit()).isEqualTo(Main.EXIT_API);
        assertThat(missing.err()).contains("(not_found)").doesNotContain("Exception").doesNotContain("\tat ");

        Run badKey = cli("list", "--key", "fw_nobody_0000000000000000000000000000000000000000");
        assertThat(badKey.exit()).isEqualTo(Main.EXIT_API);
        assertThat(badKey.err()).contains("Unauthorized (unauthorized)");

        Run badOutput = cli("submit", "/nonexistent.mp4", "--output", "x=video");
        assertThat(badOutput.exit()).isEqualTo(Main.EXIT_USAGE);

        Run unreachable = cli("list", "--api", "http://127.0.0.1:9");
        assertThat(unreachable.exit()).isEqualTo(Main.EXIT_UNREACHABLE);
        assertThat(unreachable.err()).contains("Cannot reach the API");
    }

    @Test
    void shouldRunThroughTheLauncherScript() throws Exception {
        Path clip = Media.clip(media, 320, 240, 1);
        String id = cli("submit", clip.toString(), "--output", "meta=probe").out().strip();
        Path root = Path.of(System.getProperty("framewright.root", "..")).toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(root.resolve("framewright").toString(), "watch", id, "--json")
                .redirectErrorStream(false);
        builder.environment().putAll(env());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out + err).isZero();
        // --json: one event per line, as the API's stream has them.
        assertThat(out.lines().map(l -> {
            try {
                return JSON.readTree(l).path("type").asText();
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        })).contains("completed");

        Process completion = new ProcessBuilder(root.resolve("framewright").toString(), "generate-completion").start();
        String script = new String(completion.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(completion.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(script).contains("complete -F").contains("submit").contains("download");
        Files.writeString(media.resolve("completion.bash"), script);
    }
}
