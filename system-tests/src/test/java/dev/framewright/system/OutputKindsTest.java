package dev.framewright.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One job asking for every output kind at once; each output is downloaded over HTTP and decoded. */
class OutputKindsTest extends SystemTest {

    @Test
    void shouldProduceEveryOutputKindFromOneUpload() throws Exception {
        Path clip = Media.clip(media, 640, 360, 6);
        String id = Jobs.submit(clip, "video/mp4", """
                {"outputs":[
                   {"name":"mp4","type":"video","height":240},
                   {"name":"webm","type":"video","container":"webm","width":320,"start":1,"duration":2,"audio":false},
                   {"name":"ladder","type":"hls","renditions":[{"height":360,"bitrate_kbps":800},{"height":180,"bitrate_kbps":300}],
                    "segment_seconds":2},
                   {"name":"thumbs","type":"thumbnails","every_seconds":2,"width":96,"sprite":true},
                   {"name":"poster","type":"image","width":100,"height":100,"fit":"cover","format":"png","at_seconds":2},
                   {"name":"sound","type":"audio","codec":"mp3"},
                   {"name":"gif","type":"preview","start":1,"duration":1,"width":160,"fps":10},
                   {"name":"meta","type":"probe"}],
                 "labels":{"suite":"output-kinds"}}""")
                .then().statusCode(202).extract().jsonPath().getString("id");
        JsonPath done = Jobs.awaitTerminal(id);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getList("outputs.status")).containsOnly("succeeded");
        assertThat(done.getInt("input.media.streams.size()")).isEqualTo(2);

        Media.Decoded mp4 = Media.decode(Jobs.download(id, "mp4", media));
        assertThat(mp4.videoCodec()).isEqualTo("h264");
        assertThat(mp4.height()).isEqualTo(240);
        assertThat(mp4.width()).isEqualTo(426);
        assertThat(mp4.audioCodec()).isEqualTo("aac");
        assertThat(mp4.durationSeconds()).isCloseTo(6.0, within(0.15));

        Media.Decoded webm = Media.decode(Jobs.download(id, "webm", media));
        assertThat(webm.videoCodec()).isEqualTo("vp9");
        assertThat(webm.width()).isEqualTo(320);
        assertThat(webm.height()).isEqualTo(180);
        assertThat(webm.audioCodec()).as("audio off").isNull();
        assertThat(webm.videoFrames()).as("2 s trimmed at 25 fps").isBetween(48, 52);

        assertLadderPlays(id, done);

        List<String> thumbFiles = done.getList("outputs.find { it.name == 'thumbs' }.files.path");
        List<String> stills = thumbFiles.stream().filter(p -> p.startsWith("thumb-")).toList();
        assertThat(stills).as("one still every 2 s of a 6 s clip").hasSize(3);
        Media.Decoded still = Media.decode(Jobs.downloadFile(id, "thumbs", stills.get(0), media));
        assertThat(still.width()).isEqualTo(96);
        assertThat(still.height()).isEqualTo(54);
        String vtt = Files.readString(Jobs.downloadFile(id, "thumbs", "thumbnails.vtt", media));
        Media.Decoded sprite = Media.decode(Jobs.downloadFile(id, "thumbs", thumbFiles.stream()
                .filter(p -> p.startsWith("sprite.")).findFirst().orElseThrow(), media));
        assertSpriteMatchesVtt(vtt, sprite, 3, 96, 54);

        Path poster = Jobs.download(id, "poster", media);
        assertThat(Files.readAllBytes(poster)).startsWith(0x89, 'P', 'N', 'G');
        Media.Decoded posterImage = Media.decode(poster);
        assertThat(posterImage.width()).isEqualTo(100);
        assertThat(posterImage.height()).isEqualTo(100);

        Media.Decoded sound = Media.decode(Jobs.download(id, "sound", media));
        assertThat(sound.audioCodec()).startsWith("mp3"); // the decoder is named mp3float
        assertThat(sound.videoCodec()).as("audio only").isNull();
        assertThat(sound.durationSeconds()).isCloseTo(6.0, within(0.2));

        Path gif = Jobs.download(id, "gif", media);
        assertThat(Files.readString(gif, java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("GIF89a");
        Media.Decoded animation = Media.decode(gif);
        assertThat(animation.width()).isEqualTo(160);
        assertThat(animation.videoFrames()).as("1 s at 10 fps").isBetween(9, 11);

        JsonPath probe = JsonPath.from(Files.readString(Jobs.download(id, "meta", media)));
        assertThat(probe.getDouble("durationSeconds")).isCloseTo(6.0, within(0.1));
        assertThat(probe.getList("streams.kind")).containsExactly("video", "audio");
        assertThat(probe.getInt("streams[0].width")).isEqualTo(640);
        assertThat(probe.getInt("streams[1].sampleRate")).isEqualTo(48000);
    }

    @Test
    void shouldCompositeAnOverlayAtItsPlaceOnlyInsideItsTimeWindow() throws Exception {
        Path clip = Media.clip(media, 640, 360, 4);
        Path logo = Media.squareWithTransparentBorder(media, 80, 10, 0x00FF00);
        String id = given()
                .multiPart("file", clip.toFile(), "video/mp4")
                .multiPart("overlay", logo.toFile(), "image/png")
                .multiPart("spec", """
                        {"outputs":[{"name":"branded","type":"video","overlay":
                          {"position":"top-left","margin":20,"width":80,"start":1,"end":3}}]}""", "application/json")
                .when().post("/v1/jobs").then().statusCode(202).extract().jsonPath().getString("id");
        JsonPath done = Jobs.awaitTerminal(id);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        Path video = Jobs.download(id, "branded", media);

        // The square's opaque centre lands at margin + border .. margin + 80 - border; its transparent border shows the clip.
        BufferedImage inside = Media.frameAt(video, 2.0);
        assertGreen(inside.getRGB(60, 60), true);
        assertGreen(inside.getRGB(22, 22), false);
        assertGreen(Media.frameAt(video, 0.2).getRGB(60, 60), false);
        assertGreen(Media.frameAt(video, 3.6).getRGB(60, 60), false);
    }

    private static void assertGreen(int rgb, boolean expected) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        boolean green = g > 200 && r < 80 && b < 80;
        assertThat(green).as("pixel rgb(%d,%d,%d) green", r, g, b).isEqualTo(expected);
    }

    /** Plays the ladder as a browser would: master → variant playlists → segments, all by relative URL. */
    private void assertLadderPlays(String id, JsonPath done) throws Exception {
        String base = RunningSystem.get().apiBaseUrl() + "/v1/jobs/" + id + "/outputs/ladder/";
        URI master = URI.create(base + "master.m3u8");
        String masterText = given().get(master).then().statusCode(200).extract().asString();
        assertThat(masterText).startsWith("#EXTM3U").contains("RESOLUTION=640x360").contains("RESOLUTION=320x180");
        List<String> variants = masterText.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(variants).hasSize(2);
        for (String variant : variants) {
            URI playlist = master.resolve(variant);
            String playlistText = given().get(playlist).then().statusCode(200).extract().asString();
            assertThat(playlistText).contains("#EXT-X-ENDLIST");
            double total = 0;
            int height = -1;
            for (String segment : playlistText.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList()) {
                byte[] bytes = given().get(playlist.resolve(segment)).then().statusCode(200).extract().asByteArray();
                Path file = Files.write(media.resolve("seg-" + Math.abs(playlist.resolve(segment).hashCode()) + ".ts"), bytes);
                Media.Decoded decoded = Media.decode(file);
                assertThat(decoded.videoCodec()).isEqualTo("h264");
                height = decoded.height();
                total += decoded.videoFrames() / 25.0;
            }
            assertThat(height).isIn(360, 180);
            assertThat(total).as("segments of %s cover the clip", variant).isCloseTo(6.0, within(0.25));
        }
    }

    private static void assertSpriteMatchesVtt(String vtt, Media.Decoded sprite, int cues, int w, int h) {
        assertThat(vtt).startsWith("WEBVTT");
        Matcher m = Pattern.compile("(\\S+)#xywh=(\\d+),(\\d+),(\\d+),(\\d+)").matcher(vtt);
        List<int[]> regions = new ArrayList<>();
        while (m.find()) {
            assertThat(m.group(1)).startsWith("sprite.");
            regions.add(new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))});
        }
        assertThat(regions).hasSize(cues);
        for (int[] r : regions) {
            assertThat(r[2]).isEqualTo(w);
            assertThat(r[3]).isEqualTo(h);
            assertThat(r[0] + r[2]).isLessThanOrEqualTo(sprite.width());
            assertThat(r[1] + r[3]).isLessThanOrEqualTo(sprite.height());
        }
        assertThat(Map.of("w", sprite.width() % w, "h", sprite.height() % h)).containsValues(0, 0);
    }
}
