package dev.framewright.events.rules;

import static dev.framewright.events.rules.OutputRules.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limits the output docs show are the rulebook's: a limit changed in code and not in the tables fails here. */
class OutputRulesDocumentTest {

    private static final Path DOCS = Path.of("..", "docs");

    /** The table row of {@code param} in the section whose heading starts with {@code heading}; dashes as '-'. */
    private static String row(String doc, String heading, String param) throws IOException {
        List<String> lines = Files.readAllLines(DOCS.resolve(doc));
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("#")) {
                inSection = line.replaceFirst("^#+ ", "").startsWith(heading);
            } else if (inSection && line.startsWith("| `" + param + "`")) {
                return line.replace('–', '-');
            }
        }
        throw new AssertionError("no row for " + param + " under " + heading + " in " + doc);
    }

    private static String range(double min, double max) {
        return format(min) + "-" + format(max);
    }

    @Test
    void videoAndOverlay() throws IOException {
        String doc = "outputs-video.md";
        assertThat(row(doc, "`video`", "width")).contains(range(2, MAX_SIDE));
        assertThat(row(doc, "`video`", "fps")).contains("at most " + format(VIDEO_MAX_FPS));
        assertThat(row(doc, "`video`", "crf")).contains(range(0, H264_MAX_CRF)).contains(range(0, VP9_MAX_CRF));
        assertThat(row(doc, "`video`", "bitrate_kbps")).contains(range(VIDEO_MIN_KBPS, VIDEO_MAX_KBPS));
        assertThat(row(doc, "`video`", "start")).contains(range(0, MAX_SECONDS));
        assertThat(row(doc, "`video`", "duration")).contains("at most " + format(MAX_SECONDS));
        assertThat(row(doc, "`overlay`", "x")).contains(range(0, MAX_SIDE));
        assertThat(row(doc, "`overlay`", "margin")).contains(range(0, MAX_SIDE));
        assertThat(row(doc, "`overlay`", "width")).contains(range(1, MAX_SIDE));
        assertThat(row(doc, "`overlay`", "opacity")).contains(range(0, 1));
        assertThat(row(doc, "`overlay`", "face_margin")).contains(range(0, OVERLAY_MAX_FACE_MARGIN));
        assertThat(row(doc, "`overlay`", "max_faces")).contains(range(1, OVERLAY_MAX_FACES));
    }

    @Test
    void hlsAudioPreview() throws IOException {
        String doc = "outputs-video.md";
        assertThat(row(doc, "`hls`", "renditions")).contains(range(1, HLS_MAX_RENDITIONS))
                .contains("height " + range(HLS_MIN_HEIGHT, HLS_MAX_HEIGHT))
                .contains("bitrate_kbps " + range(VIDEO_MIN_KBPS, VIDEO_MAX_KBPS));
        assertThat(row(doc, "`hls`", "segment_seconds"))
                .contains(range(HLS_MIN_SEGMENT_SECONDS, HLS_MAX_SEGMENT_SECONDS));
        assertThat(row(doc, "`audio`", "bitrate_kbps")).contains(range(AUDIO_MIN_KBPS, AUDIO_MAX_KBPS));
        assertThat(row(doc, "Audio:", "loudness.target_lufs")).contains(format(LOUDNESS_MIN_TARGET_LUFS) + " to "
                + format(LOUDNESS_MAX_TARGET_LUFS));
        assertThat(row(doc, "Audio:", "loudness.true_peak_db")).contains(format(LOUDNESS_MIN_TRUE_PEAK_DB) + " to "
                + format(LOUDNESS_MAX_TRUE_PEAK_DB));
        assertThat(OutputRules.AUDIO_TRACK.pattern()).isEqualTo("[0-9]{1,3}|[A-Za-z]{2,3}"); // the row's words
        assertThat(row(doc, "`preview`", "duration")).contains("at most " + format(PREVIEW_MAX_SECONDS));
        assertThat(row(doc, "`preview`", "width")).contains(range(PREVIEW_MIN_WIDTH, PREVIEW_MAX_WIDTH));
        assertThat(row(doc, "`preview`", "fps")).contains("at most " + format(PREVIEW_MAX_FPS));
    }

    @Test
    void stills() throws IOException {
        String doc = "outputs-stills.md";
        assertThat(row(doc, "`thumbnails`", "every_seconds")).contains("at most " + format(THUMBNAILS_MAX_EVERY_SECONDS));
        assertThat(row(doc, "`thumbnails`", "count")).contains(range(1, THUMBNAILS_MAX_STILLS)).contains("not both");
        assertThat(row(doc, "`thumbnails`", "width")).contains(range(THUMBNAILS_MIN_WIDTH, THUMBNAILS_MAX_WIDTH));
        assertThat(row(doc, "`image`", "width")).contains(range(IMAGE_MIN_SIDE, MAX_SIDE));
        assertThat(row(doc, "`image`", "height")).contains(range(IMAGE_MIN_SIDE, MAX_SIDE));
        assertThat(row(doc, "`image`", "at_seconds")).contains(range(0, MAX_SECONDS));
    }

    @Test
    void faces() throws IOException {
        assertThat(row("outputs-faces.md", "`faces`", "every_seconds"))
                .contains(range(FACES_MIN_EVERY_SECONDS, FACES_MAX_EVERY_SECONDS))
                .contains("at most " + FACES_MAX_SAMPLES + " samples");
    }

    @Test
    void describe() throws IOException {
        String doc = "outputs-describe.md";
        assertThat(row(doc, "`describe`", "top")).contains("| " + DESCRIBE_DEFAULT_TOP + " |")
                .contains(range(1, DESCRIBE_MAX_TOP));
        assertThat(row(doc, "`describe`", "every_seconds"))
                .contains(range(DESCRIBE_MIN_EVERY_SECONDS, DESCRIBE_MAX_EVERY_SECONDS));
        assertThat(row(doc, "`describe`", "max_samples")).contains("| " + DESCRIBE_MAX_SAMPLES + " |")
                .contains(range(1, DESCRIBE_MAX_SAMPLES));
    }

    @Test
    void theSpecTableOfTheApi() throws IOException {
        assertThat(row("api.md", "The spec", "outputs")).contains(range(1, MAX_OUTPUTS) + " outputs");
        assertThat(row("api.md", "The spec", "labels")).contains("Up to " + ClientText.MAX_LABELS)
                .contains(ClientText.LABEL_KEY).contains("up to " + ClientText.MAX_LABEL_VALUE + " characters");
    }
}
