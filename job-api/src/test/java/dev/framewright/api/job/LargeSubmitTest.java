package dev.framewright.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue #17: a multipart {@code POST /v1/jobs} whose file is above {@code framewright.uploads.multipart-above-bytes}
 * reaches S3 as one multipart upload, intact, without job-api holding the body in memory.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class LargeSubmitTest {

    /** 40 MiB and a bit: 9 parts of 5 MiB in the test stack's plan, the last one short. */
    private static final long SIZE = 40L * 1024 * 1024 + 777;

    @Inject
    MediaStore store;

    @TestHTTPResource("/v1/jobs")
    URI jobs;

    /** Generated media: an MP4 head, then xorshift bytes; never held whole in memory, hashed as it is read. */
    static final class GeneratedMedia extends InputStream {
        private final byte[] head = Fixtures.mp4("large multipart job");
        private final MessageDigest sha;
        private final long size;
        private long position;
        private long state = 0x9E3779B97F4A7C15L;

        GeneratedMedia(long size) throws Exception {
            this.size = size;
            this.sha = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++, position++) {
                if (position < head.length) {
                    b[off + i] = head[(int) position];
                } else {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    b[off + i] = (byte) state;
                }
            }
            sha.update(b, off, n);
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The old generation: where G1 puts arrays of a region's half or more, so a body buffered whole shows here. */
    private static List<MemoryPoolMXBean> oldGen() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().contains("Old Gen") || p.getName().contains("Tenured")).toList();
    }

    @Test
    void aLargeFilePartIsStreamedToOneMultipartUploadIntactAndInConstantMemory() throws Exception {
        String boundary = "----framewright" + UUID.randomUUID();
        byte[] before = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"spec\"\r\n\r\n"
                + "{\"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"large.mp4\"\r\n"
                + "Content-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] after = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        GeneratedMedia media = new GeneratedMedia(SIZE);
        HttpRequest request = HttpRequest.newBuilder(jobs)
                .header("Authorization", "Bearer " + LocalStackResource.DEV_KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() ->
                        new SequenceInputStream(java.util.Collections.enumeration(List.of(
                                new ByteArrayInputStream(before), media, new ByteArrayInputStream(after)))))))
                .build();

        List<MemoryPoolMXBean> old = oldGen();
        assertThat(old).as("a G1 or serial old generation to measure").isNotEmpty();
        System.gc();
        long baseline = old.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        old.forEach(MemoryPoolMXBean::resetPeakUsage);

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        long peak = old.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.gc();
        long retained = old.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        System.out.printf("LargeSubmitTest: %d-byte body; old generation %d MiB before, peak +%d MiB, after GC +%d MiB%n",
                SIZE, baseline >> 20, (peak - baseline) >> 20, (retained - baseline) >> 20);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        // Neither held nor copied whole: a body (or a part) read into one array would land here at once.
        assertThat(peak - baseline).isLessThan(SIZE / 4);
        assertThat(retained - baseline).isLessThan(SIZE / 4);

        UUID jobId = UUID.fromString(io.restassured.path.json.JsonPath.from(response.body()).getString("id"));
        JobRequested requested = (JobRequested) Fixtures.event(Topics.JOB_REQUESTS, jobId, JobRequested.class);
        assertThat(requested.input().size()).isEqualTo(SIZE);
        var head = store.head(requested.input().key()).orElseThrow();
        assertThat(head.contentLength()).isEqualTo(SIZE);
        // A multipart ETag: the MD5 of the parts' MD5s and the part count.
        assertThat(head.eTag()).matches("\"?[0-9a-f]{32}-9\"?");
        assertThat(requested.input().etag()).isEqualTo(head.eTag());
        try (InputStream in = store.open(requested.input().key(), null)) {
            assertThat(sha256(in)).isEqualTo(media.sha256());
        }
    }
}
