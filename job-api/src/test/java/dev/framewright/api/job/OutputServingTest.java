package dev.framewright.api.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.OutputManifest;
import dev.framewright.events.OutputFile;
import dev.framewright.events.ProbeOutput;
import dev.framewright.events.VideoOutput;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Outputs as the projector records them (rows) and the transcoder stores them (objects), served over HTTP. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class OutputServingTest {

    @Inject
    MediaStore store;

    private final byte[] video = new byte[100_000];

    {
        new Random(7).nextBytes(video);
    }

    private UUID jobWithOutputs(Instant expiredAt) {
        UUID id = UUID.randomUUID();
        String prefix = "jobs/" + id + "/";
        String master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2800000\n720p/index.m3u8\n";
        String variant = "#EXTM3U\n#EXTINF:4.0,\nseg-00001.ts\n#EXT-X-ENDLIST\n";
        store.putBytes(prefix + "web/video.mp4", video, "video/mp4");
        store.putBytes(prefix + "ladder/master.m3u8", master.getBytes(), "application/vnd.apple.mpegurl");
        store.putBytes(prefix + "ladder/720p/index.m3u8", variant.getBytes(), "application/vnd.apple.mpegurl");
        store.putBytes(prefix + "ladder/720p/seg-00001.ts", new byte[] {0x47, 1, 2}, "video/mp2t");
        List<StoredOutput> outputs = List.of(
                Jobs.output(VideoOutput.of("web", 640, null), "succeeded",
                        List.of(new OutputFile("video.mp4", prefix + "web/video.mp4", video.length, "video/mp4"))),
                Jobs.output(new HlsOutput("ladder", null, null), "succeeded", List.of(
                        // The transcoder may list the master anywhere: it is still the main file.
                        new OutputFile("720p/index.m3u8", prefix + "ladder/720p/index.m3u8", variant.length(), "application/vnd.apple.mpegurl"),
                        new OutputFile("720p/seg-00001.ts", prefix + "ladder/720p/seg-00001.ts", 3, "video/mp2t"),
                        new OutputFile("master.m3u8", prefix + "ladder/master.m3u8", master.length(), "application/vnd.apple.mpegurl"))),
                Jobs.output(new ProbeOutput("meta"), "running", List.of()));
        return Jobs.insert(id, "default", "running", "default", Map.of(), 1, Instant.now(), outputs, null, expiredAt, null);
    }

    @Test
    void streamsWholeFilesRangesAndNestedPaths() {
        UUID id = jobWithOutputs(null);
        Response whole = given().get("/v1/jobs/" + id + "/outputs/web");
        whole.then().statusCode(200).contentType("video/mp4").header("Accept-Ranges", "bytes")
                .header("Content-Length", String.valueOf(video.length));
        assertThat(whole.asByteArray()).isEqualTo(video);

        Response part = given().header("Range", "bytes=1000-1999").get("/v1/jobs/" + id + "/outputs/web/video.mp4");
        part.then().statusCode(206).header("Content-Range", "bytes 1000-1999/" + video.length);
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(video, 1000, 2000));
        given().header("Range", "bytes=200000-").get("/v1/jobs/" + id + "/outputs/web").then().statusCode(416)
                .header("Content-Range", "bytes */" + video.length);

        // The main file of a ladder is its master playlist; the playlist's relative paths resolve to served files.
        Response master = given().get("/v1/jobs/" + id + "/outputs/ladder/master.m3u8");
        master.then().statusCode(200).contentType("application/vnd.apple.mpegurl");
        String variantPath = master.asString().lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        URI variantUri = URI.create("/v1/jobs/" + id + "/outputs/ladder/master.m3u8").resolve(variantPath);
        Response variant = given().get(variantUri.toString());
        variant.then().statusCode(200);
        String segment = variant.asString().lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        assertThat(given().get(variantUri.resolve(segment).toString()).then().statusCode(200).contentType("video/mp2t")
                .extract().asByteArray()).containsExactly(0x47, 1, 2);
        assertThat(given().get("/v1/jobs/" + id + "/outputs/ladder").asString()).startsWith("#EXTM3U\n#EXT-X-STREAM-INF");

        // The job document links each file the same way.
        var doc = given().get("/v1/jobs/" + id).jsonPath();
        assertThat(doc.getString("outputs[1].url")).isEqualTo("/v1/jobs/" + id + "/outputs/ladder/master.m3u8");
        assertThat(doc.getList("outputs[1].files.url")).contains("/v1/jobs/" + id + "/outputs/ladder/720p/seg-00001.ts");
    }

    @Test
    void everyFileOfAManifestIsServedThoughTheReadModelListsOnlyThePlaylists() throws Exception {
        UUID id = UUID.randomUUID();
        String prefix = "jobs/" + id + "/long/";
        int segments = 300;
        StringBuilder variant = new StringBuilder("#EXTM3U\n");
        List<OutputFile> all = new java.util.ArrayList<>();
        String master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/index.m3u8\n";
        all.add(new OutputFile("master.m3u8", prefix + "master.m3u8", master.length(), "application/vnd.apple.mpegurl"));
        for (int i = 0; i < segments; i++) {
            String path = String.format("360p/segment-%05d.ts", i);
            store.putBytes(prefix + path, new byte[] {0x47, (byte) i}, "video/mp2t");
            all.add(new OutputFile(path, prefix + path, 2, "video/mp2t"));
            variant.append("#EXTINF:1.0,\n").append(path.substring(5)).append('\n');
        }
        variant.append("#EXT-X-ENDLIST\n");
        all.add(1, new OutputFile("360p/index.m3u8", prefix + "360p/index.m3u8", variant.length(),
                "application/vnd.apple.mpegurl"));
        // A manifest entry whose key lies outside its output is never served.
        all.add(new OutputFile("stolen.ts", "jobs/" + UUID.randomUUID() + "/long/stolen.ts", 2, "video/mp2t"));
        store.putBytes(prefix + "master.m3u8", master.getBytes(), "application/vnd.apple.mpegurl");
        store.putBytes(prefix + "360p/index.m3u8", variant.toString().getBytes(), "application/vnd.apple.mpegurl");
        store.putBytes(prefix + OutputManifest.FILE, JobEventJson.mapper().writeValueAsBytes(
                new OutputManifest(id, "long", all)), "application/json");
        List<OutputFile> listed = OutputManifest.principal(all.subList(0, all.size() - 1));
        assertThat(listed).hasSizeLessThan(20);
        StoredOutput hls = new StoredOutput("long", "hls", "succeeded", new HlsOutput("long", null, null), 100.0,
                listed, null, null, segments + 2, prefix + OutputManifest.FILE);
        Jobs.insert(id, "default", "succeeded", "default", Map.of(), 1, Instant.now(), List.of(hls), null, null, null);

        var doc = given().get("/v1/jobs/" + id).jsonPath();
        assertThat(doc.getInt("outputs[0].file_count")).isEqualTo(segments + 2);
        assertThat(doc.getString("outputs[0].manifest_url")).isEqualTo("/v1/jobs/" + id + "/outputs/long/_files.json");
        assertThat(doc.getList("outputs[0].files")).hasSize(listed.size());

        // The ladder plays: master, variant, then every segment by its relative path, listed in the row or not.
        URI base = URI.create("/v1/jobs/" + id + "/outputs/long/master.m3u8");
        URI variantUri = base.resolve(given().get(base.toString()).then().statusCode(200).extract().asString()
                .lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow());
        List<String> segmentPaths = given().get(variantUri.toString()).then().statusCode(200).extract().asString()
                .lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(segmentPaths).hasSize(segments);
        for (int i = 0; i < segments; i++) {
            assertThat(given().get(variantUri.resolve(segmentPaths.get(i)).toString()).then().statusCode(200)
                    .contentType("video/mp2t").extract().asByteArray()).containsExactly(0x47, (byte) i);
        }
        var files = given().get(doc.getString("outputs[0].manifest_url")).then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertThat(files.getList("files.path")).hasSize(segments + 2).contains("360p/segment-00299.ts")
                .doesNotContain("stolen.ts");
        assertThat(files.getString("files[2].url")).isEqualTo("/v1/jobs/" + id + "/outputs/long/360p/segment-00000.ts");

        given().get("/v1/jobs/" + id + "/outputs/long/stolen.ts").then().statusCode(404);
        given().get("/v1/jobs/" + id + "/outputs/long/360p/segment-99999.ts").then().statusCode(404);
        given().get("/v1/jobs/" + id + "/outputs/long/360p/..%2F..%2F_control%2Fcancel").then().statusCode(404);
        given().get("/v1/jobs/" + id + "/outputs/long//360p/segment-00001.ts").then().statusCode(404);
    }

    @Test
    void notReadyUnknownAndClientBuiltPaths() {
        UUID id = jobWithOutputs(null);
        given().get("/v1/jobs/" + id + "/outputs/meta").then().statusCode(409).body("code", equalTo("output_not_ready"));
        given().get("/v1/jobs/" + id + "/outputs/nope").then().statusCode(404);
        given().get("/v1/jobs/" + id + "/outputs/web/other.mp4").then().statusCode(404);
        // An object that exists but is not listed (the control folder) is never served.
        store.putBytes("jobs/" + id + "/web/_secret", new byte[] {1}, "text/plain");
        given().get("/v1/jobs/" + id + "/outputs/web/_secret").then().statusCode(404);
        given().get("/v1/jobs/" + id + "/outputs/web/..%2F..%2F_control%2Fcancel").then().statusCode(404);
    }

    @Test
    void expiredJobsAnswerGone() {
        UUID id = jobWithOutputs(Instant.now());
        given().get("/v1/jobs/" + id + "/outputs/web").then().statusCode(410).body("code", equalTo("expired"));
        given().get("/v1/jobs/" + id + "/outputs/ladder/720p/index.m3u8").then().statusCode(410);
    }

    @Test
    void redirectsToAShortLivedPresignedUrl() throws Exception {
        UUID id = jobWithOutputs(null);
        Response redirect = given().redirects().follow(false).queryParam("redirect", true)
                .get("/v1/jobs/" + id + "/outputs/web");
        redirect.then().statusCode(307);
        String location = redirect.header("Location");
        assertThat(location).contains("X-Amz-Expires=300").contains("X-Amz-Signature=");
        HttpResponse<byte[]> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.body()).isEqualTo(video);
        assertThat(direct.headers().firstValue("Content-Type")).hasValue("video/mp4");
        // A changed signature is refused by the store: the URL grants exactly this object.
        HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(location.replace("video.mp4", "video.mp5"))).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(forged.statusCode()).isEqualTo(403);
    }
}
