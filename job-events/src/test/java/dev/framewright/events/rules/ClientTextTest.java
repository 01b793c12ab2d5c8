package dev.framewright.events.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientTextTest {

    @Test
    void refusesControlsBrokenUnicodeReplacementCharactersAndBidiOverrides() {
        assertThat(ClientText.problem("ok – ünïcödé ✓ 😀 עברית", 256)).isNull();
        assertThat(ClientText.problem("a\u0000b", 256)).contains("control characters").contains("U+0000");
        assertThat(ClientText.problem("a\nb", 256)).contains("U+000A");
        assertThat(ClientText.problem("a\tb", 256)).contains("U+0009");
        assertThat(ClientText.problem("a\u007fb", 256)).contains("U+007F");
        assertThat(ClientText.problem("a\u0085b", 256)).contains("U+0085");
        assertThat(ClientText.problem("a\ud800b", 256)).contains("unpaired surrogate");
        assertThat(ClientText.problem("a\udc00", 256)).contains("unpaired surrogate");
        assertThat(ClientText.problem("a\ufffdb", 256)).contains("UTF-8");
        assertThat(ClientText.problem("gpj.\u202eexe", 256)).contains("bidirectional").contains("U+202E");
        assertThat(ClientText.problem("a\u200fb", 256)).as("a right-to-left mark is fine").isNull();
    }

    @Test
    void lengthsCountCodePoints() {
        assertThat(ClientText.problem("😀".repeat(256), 256)).isNull();
        assertThat(ClientText.problem("x".repeat(257), 256)).isEqualTo("has 257 characters; at most 256");
    }

    @Test
    void labelsNameTheirKeyWithoutCopyingItsControls() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("k", "v\u0000");
        labels.put("bad\u0001", "v");
        labels.put("Big", "v");
        assertThat(ClientText.labels(labels)).extracting(Violation::field)
                .containsExactly("labels[\"k\"]", "labels[\"bad\\u0001\"]", "labels[\"Big\"]");
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 33; i++) {
            many.put("k" + i, "v");
        }
        assertThat(ClientText.labels(many)).extracting(Violation::field).containsExactly("labels");
        assertThat(ClientText.labels(Map.of("k".repeat(63), "v".repeat(256)))).isEmpty();
        assertThat(ClientText.labels(Map.of("k".repeat(64), "v"))).hasSize(1);
    }

    @Test
    void fileNamesAreCleanedToTheirLastSegment() {
        assertThat(ClientText.fileName("clip.mp4")).isEqualTo("clip.mp4");
        assertThat(ClientText.fileName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(ClientText.fileName("C:\\Users\\me\\clip.mp4")).isEqualTo("clip.mp4");
        assertThat(ClientText.fileName("cl\u0000ip\n.mp4\r")).isEqualTo("clip.mp4");
        assertThat(ClientText.fileName("a\u202egpj.exe")).isEqualTo("agpj.exe");
        assertThat(ClientText.fileName("..")).isEqualTo(ClientText.UNNAMED_FILE);
        assertThat(ClientText.fileName("dir/")).isEqualTo(ClientText.UNNAMED_FILE);
        assertThat(ClientText.fileName(null)).isNull();
        String longName = ClientText.fileName("x".repeat(300) + ".mp4");
        assertThat(longName).hasSize(255).endsWith("x.mp4");
        assertThat(ClientText.problem(ClientText.fileName("😀".repeat(300)), 255)).isNull();
    }

    @Test
    void contentTypesAreMediaTypes() {
        assertThat(ClientText.contentTypeProblem("video/mp4")).isNull();
        assertThat(ClientText.contentTypeProblem("application/vnd.apple.mpegurl")).isNull();
        assertThat(ClientText.contentTypeProblem("video/mp4; codecs=\"avc1.64001f, mp4a.40.2\"")).isNull();
        assertThat(ClientText.contentTypeProblem("video")).isNotNull();
        assertThat(ClientText.contentTypeProblem("video/mp4\r\nX-Evil: 1")).isNotNull();
        assertThat(ClientText.contentTypeProblem("video/mp4\u0000")).isNotNull();
        assertThat(ClientText.contentTypeProblem("vidéo/mp4")).isNotNull();
        assertThat(ClientText.contentTypeProblem("video/" + "x".repeat(300))).isNotNull();
    }

    @Test
    void webhookUrlsAndIdempotencyKeys() {
        assertThat(ClientText.webhookUrlProblem("https://example.com/hook?a=1")).isNull();
        assertThat(ClientText.webhookUrlProblem("ftp://example.com/hook")).contains("http or https");
        assertThat(ClientText.webhookUrlProblem("https:///nohost")).contains("http or https");
        assertThat(ClientText.webhookUrlProblem("https://example.com/" + "a".repeat(2048))).contains("at most 2048");
        assertThat(ClientText.webhookUrlProblem("https://example.com/\u0000")).contains("control");
        assertThat(ClientText.idempotencyKeyProblem("2b4c1f5e-0d8a-4e5b-9c1e-3f2a1b0c9d8e")).isNull();
        assertThat(ClientText.idempotencyKeyProblem("a b")).isNotNull();
        assertThat(ClientText.idempotencyKeyProblem("")).isNotNull();
        assertThat(ClientText.idempotencyKeyProblem("k".repeat(256))).isNotNull();
        assertThat(ClientText.idempotencyKeyProblem("kéy")).isNotNull();
    }
}
