package dev.framewright.api.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue #17: a direct upload of a few hundred MB to S3Proxy, as a client does it: a multipart upload (POST
 * /v1/uploads, its presigned part URLs PUT 4 at a time, POST /complete) beside one presigned PUT of the same file
 * ({@link MediaStore#presignPut}, what POST /v1/uploads answers below the threshold). Reports MB/s and the old
 * generation of the JVM that runs job-api (the client shares it, streaming from a file). Default part settings
 * (64 MiB), not the test stack's 5 MiB. Not a test: run by hand with
 * {@code ./mvnw -o -q -B -pl job-api -am verify -Dbench=true -Dtest=DirectUploadBench -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.mib=512 -Dbench.rounds=3}, after one uncounted warm-up round); it prints BENCH lines.
 */
@QuarkusTest
@QuarkusTestResource(value = DirectUploadBench.DefaultParts.class, restrictToAnnotatedClass = true)
@EnabledIfSystemProperty(named = "bench", matches = "true")
class DirectUploadBench {

    /** The test stack with the shipped part settings (64 MiB parts above 64 MiB). */
    public static class DefaultParts extends LocalStackResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new java.util.HashMap<>(super.start());
            config.put("framewright.uploads.multipart-above-bytes", "67108864");
            config.put("framewright.uploads.part-bytes", "67108864");
            return config;
        }
    }

    private static final int PARALLEL = 4;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    MediaStore store;

    record Run(String what, double seconds, double putSeconds, long oldPeakMiB, long oldAfterMiB) {
    }

    @Test
    void printFigures() throws Exception {
        long size = Long.getLong("bench.mib", 512) * 1024 * 1024;
        int rounds = Integer.getInteger("bench.rounds", 3);
        Path file = Files.createTempFile("direct-upload-bench", ".mp4");
        try {
            generate(file, size);
            System.out.println("BENCH load average at start: " + Files.readString(Path.of("/proc/loadavg")).trim());
            // One round of each first, not counted: the first requests load classes and warm the JIT.
            multipart(file, size);
            single(file, size);
            List<Run> runs = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                // Alternate who goes first, so a drift in the machine's load falls on both.
                boolean multipartFirst = round % 2 == 0;
                for (int i = 0; i < 2; i++) {
                    Run run = (i == 0) == multipartFirst ? multipart(file, size) : single(file, size);
                    runs.add(run);
                    System.out.printf(Locale.ROOT, "BENCH round %d %s: %.2f s (PUTs %.2f s, complete %.2f s), %.1f MB/s, "
                                    + "old gen peak +%d MiB, after GC +%d MiB%n", round + 1, run.what(), run.seconds(),
                            run.putSeconds(), run.seconds() - run.putSeconds(), size / 1e6 / run.seconds(),
                            run.oldPeakMiB(), run.oldAfterMiB());
                }
            }
            for (String what : List.of("multipart x" + PARALLEL, "single PUT")) {
                double[] s = runs.stream().filter(r -> r.what().equals(what)).mapToDouble(Run::seconds).sorted()
                        .toArray();
                long peak = runs.stream().filter(r -> r.what().equals(what)).mapToLong(Run::oldPeakMiB).max()
                        .orElseThrow();
                System.out.printf(Locale.ROOT, "BENCH %s, %d MiB: median %.2f s = %.1f MB/s (runs %s), "
                                + "old gen peak at most +%d MiB%n", what, size >> 20, s[s.length / 2],
                        size / 1e6 / s[s.length / 2], java.util.Arrays.toString(s), peak);
            }
            System.out.println("BENCH load average at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** POST /v1/uploads, PUT every part (4 at a time) from its range of the file, POST /complete. */
    private Run multipart(Path file, long size) throws Exception {
        Heap heap = Heap.start();
        long t0 = System.nanoTime();
        JsonPath ticket = given().contentType("application/json")
                .body(Map.of("filename", "bench.mp4", "content_type", "video/mp4", "size", size))
                .post("/v1/uploads").then().statusCode(201).extract().jsonPath();
        String id = ticket.getString("upload_id");
        long partSize = ticket.getLong("part_size");
        int partCount = ticket.getInt("part_count");
        List<Map<String, Object>> parts = ticket.getList("parts");
        assertThat(parts).hasSize(partCount);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<HttpResponse<String>>> puts = new ArrayList<>();
            for (Map<String, Object> part : parts) {
                long offset = ((Integer) part.get("part_number") - 1) * partSize;
                long length = ((Number) part.get("size")).longValue();
                puts.add(pool.submit(() -> HTTP.send(put((String) part.get("url"), headers(part), HttpRequest
                        .BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() ->
                                range(file, offset, length)), length)), HttpResponse.BodyHandlers.ofString())));
            }
            for (Future<HttpResponse<String>> put : puts) {
                assertThat(put.get().statusCode()).as(put.get().body()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        double putSeconds = (System.nanoTime() - t0) / 1e9;
        given().post("/v1/uploads/" + id + "/complete").then().statusCode(200);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Run run = heap.stop("multipart x" + PARALLEL, seconds, putSeconds);
        String key = "uploads/default/" + id;
        var head = store.head(key).orElseThrow();
        assertThat(head.contentLength()).isEqualTo(size);
        assertThat(head.eTag()).matches("\"?[0-9a-f]{32}-" + partCount + "\"?");
        store.delete(key);
        return run;
    }

    /** One presigned PUT of the whole file, as POST /v1/uploads answers below the threshold. */
    private Run single(Path file, long size) throws Exception {
        Heap heap = Heap.start();
        long t0 = System.nanoTime();
        String key = MediaStore.newInputKey("default");
        MediaStore.PresignedPut presigned = store.presignPut(key, "video/mp4", size, Duration.ofMinutes(15));
        HttpResponse<String> response = HTTP.send(put(presigned.url().toString(), presigned.headers(),
                HttpRequest.BodyPublishers.ofFile(file)), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Run run = heap.stop("single PUT", seconds, seconds);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(store.head(key).orElseThrow().contentLength()).isEqualTo(size);
        store.delete(key);
        return run;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> headers(Map<String, Object> part) {
        return (Map<String, String>) part.get("headers");
    }

    private static HttpRequest put(String url, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(url)).PUT(body);
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                put.header(name, value);
            }
        });
        return put.build();
    }

    /** {@code length} bytes of the file from {@code offset}. */
    private static InputStream range(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new java.io.FilterInputStream(Channels.newInputStream(channel)) {
                private long left = length;

                @Override
                public int read() throws java.io.IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An MP4 head, then xorshift bytes (incompressible), written in 1 MiB blocks. */
    private static void generate(Path file, long size) throws Exception {
        byte[] block = new byte[1 << 20];
        long state = 0x9E3779B97F4A7C15L;
        byte[] head = Fixtures.mp4("direct upload bench");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; ) {
                for (int i = 0; i < block.length; i += 8) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    for (int j = 0; j < 8; j++) {
                        block[i + j] = (byte) (state >>> (8 * j));
                    }
                }
                if (written == 0) {
                    System.arraycopy(head, 0, block, 0, head.length);
                }
                int n = (int) Math.min(block.length, size - written);
                out.write(block, 0, n);
                written += n;
            }
        }
    }

    /** The old generation's peak and retained growth over a run (where a body held whole would show). */
    private record Heap(List<MemoryPoolMXBean> old, long baseline) {
        static Heap start() {
            List<MemoryPoolMXBean> old = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .filter(p -> p.getName().contains("Old Gen") || p.getName().contains("Tenured")).toList();
            assertThat(old).as("a G1 or serial old generation to measure").isNotEmpty();
            System.gc();
            long baseline = old.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
            old.forEach(MemoryPoolMXBean::resetPeakUsage);
            return new Heap(old, baseline);
        }

        Run stop(String what, double seconds, double putSeconds) {
            long peak = old.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.gc();
            long after = old.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
            return new Run(what, seconds, putSeconds, (peak - baseline) >> 20, (after - baseline) >> 20);
        }
    }
}
