package dev.framewright.api.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Not a test (the name keeps it out of the default run): measures the CPU one JSON submission of a direct upload
 * costs, the path the platform benchmark's "submit" section drives. Run it alone:
 * {@code ./mvnw -o -q -pl job-api -am test -Dtest=SubmitCpuProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -Dframewright.probe.jobs=500}.
 *
 * <p>Submissions are sequential, so CPU per request is not blurred by queueing. It reports the CPU of job-api's
 * threads (Quarkus workers, Vert.x event loops, the Kafka producer: the broker shares this JVM and is left out),
 * of the PostgreSQL processes and of S3Proxy (children of this JVM, from /proc), and a JFR profile of job-api's
 * threads by library. Written to {@code target/submit-probe.txt} and {@code target/submit-probe.jfr}.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
@TestProfile(SubmitCpuProbe.Unlimited.class)
class SubmitCpuProbe {

    /** As the benchmark: no rate limit, a queued-job cap nobody reaches. */
    public static class Unlimited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("framewright.limits.requests-per-second", "1000000", "framewright.limits.burst", "1000000",
                    "framewright.limits.max-queued-jobs-per-tenant", "100000000");
        }
    }

    private static final String SPEC = "{\"upload_id\":\"%s\",\"queue\":\"express\","
            + "\"outputs\":[{\"name\":\"thumb\",\"type\":\"image\",\"width\":100,\"height\":100,\"fit\":\"cover\"}]}";

    @Test
    void cpuPerSubmission() throws Exception {
        int jobs = Integer.getInteger("framewright.probe.jobs", 500);
        int warmup = Integer.getInteger("framewright.probe.warmup", jobs);
        List<String> uploads = new ArrayList<>();
        for (int i = 0; i < warmup + jobs; i++) {
            uploads.add(SubmitTest.upload("clip.mp4", "video/mp4", Fixtures.mp4("probe " + i)));
        }
        for (int i = 0; i < warmup; i++) {
            submit(uploads.get(i));
        }

        Path jfr = Path.of("target/submit-probe.jfr");
        Map<String, Long> threadsBefore = apiThreadCpu();
        Map<String, Long> procBefore = childCpuTicks();
        long wallStart = System.nanoTime();
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
            recording.start();
            for (int i = warmup; i < warmup + jobs; i++) {
                submit(uploads.get(i));
            }
            recording.stop();
            recording.dump(jfr);
        }
        double wallMs = (System.nanoTime() - wallStart) / 1e6;
        Map<String, Long> threadsAfter = apiThreadCpu();
        Map<String, Long> procAfter = childCpuTicks();

        long apiNanos = 0;
        for (var e : threadsAfter.entrySet()) {
            apiNanos += e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L);
        }
        long tick = 10_000_000L; // USER_HZ is 100 on Linux: /proc counts CPU in 10 ms ticks
        StringBuilder report = new StringBuilder();
        report.append(String.format("jobs %d (after %d warm-up), sequential, wall %.2f ms per job%n", jobs, warmup,
                wallMs / jobs));
        report.append(String.format("job-api threads: %.3f ms CPU per job%n", apiNanos / 1e6 / jobs));
        for (String name : List.of("postgres", "s3proxy")) {
            long ticks = procAfter.getOrDefault(name, 0L) - procBefore.getOrDefault(name, 0L);
            report.append(String.format("%s: %.3f ms CPU per job%n", name, ticks * tick / 1e6 / jobs));
        }
        report.append("JFR samples on job-api threads, by the first frame in one of these libraries:\n");
        profile(jfr).forEach((k, v) -> report.append(String.format("  %-24s %5.1f %%%n", k, v)));
        Files.writeString(Path.of("target/submit-probe.txt"), report);
        System.out.println(report);
    }

    private static void submit(String upload) {
        var response = given().contentType("application/json").body(SPEC.formatted(upload)).post("/v1/jobs");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
    }

    static boolean apiThread(String name) {
        return name.startsWith("executor-thread") || name.startsWith("vert.x-eventloop")
                || name.startsWith("vert.x-worker") || name.startsWith("kafka-producer-network-thread");
    }

    private static Map<String, Long> apiThreadCpu() {
        var mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new HashMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && apiThread(info.getThreadName())) {
                cpu.put(info.getThreadId() + " " + info.getThreadName(), mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return cpu;
    }

    /** utime + stime of this JVM's descendant processes, by kind, in clock ticks. */
    private static Map<String, Long> childCpuTicks() {
        Map<String, Long> ticks = new HashMap<>();
        ProcessHandle.current().descendants().forEach(p -> {
            String cmd = p.info().commandLine().orElse("");
            String kind = cmd.contains("postgres") ? "postgres" : cmd.toLowerCase().contains("s3proxy") ? "s3proxy" : null;
            if (kind == null) {
                return;
            }
            try {
                String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.merge(kind, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            } catch (IOException | RuntimeException e) {
                // the process ended meanwhile
            }
        });
        return ticks;
    }

    private static final List<String> LIBRARIES = List.of("software.amazon.awssdk", "sun.net.www", "org.postgresql",
            "io.agroal", "io.vertx.pgclient", "io.vertx.sqlclient", "org.apache.kafka", "com.fasterxml.jackson",
            "io.quarkus", "io.vertx", "io.netty", "org.jboss.resteasy", "io.smallrye", "dev.framewright");

    /** Share of samples on job-api threads by the innermost frame that belongs to one of {@link #LIBRARIES}. */
    private static Map<String, Double> profile(Path jfr) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getThread("sampledThread") == null
                    || !apiThread(String.valueOf(e.getThread("sampledThread").getJavaName()))) {
                continue;
            }
            total++;
            String library = "other";
            for (RecordedFrame frame : e.getStackTrace().getFrames()) {
                String type = frame.getMethod().getType().getName();
                String hit = LIBRARIES.stream().filter(type::startsWith).findFirst().orElse(null);
                if (hit != null) {
                    library = hit;
                    break;
                }
            }
            counts.merge(library, 1, Integer::sum);
        }
        int all = total;
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, en -> 100.0 * en.getValue() / all, (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }
}
