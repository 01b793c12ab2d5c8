package dev.framewright.events.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.AudioOutput;
import dev.framewright.events.Container;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.Loudness;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.FaceRedaction;
import dev.framewright.events.Overlay;
import dev.framewright.events.PreviewOutput;
import dev.framewright.events.DescribeOutput;
import dev.framewright.events.ProbeOutput;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.VideoOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limits the API and the transcoder used to disagree on, each at its edges; field names as clients write them. */
class OutputRulesTest {

    private static List<String> fields(OutputSpec... outputs) {
        return OutputRules.check(Arrays.asList(outputs)).stream().map(Violation::field).toList();
    }

    private static VideoOutput video(Integer crf, Integer kbps, Double fps, Container container) {
        return new VideoOutput("v", container, null, null, fps, crf, kbps, null, null, null, null);
    }

    @Test
    void describeTopSamplingAndSampleCountHaveEdges() {
        assertThat(fields(new DescribeOutput("d", 1, 0.1, 1))).isEmpty();
        assertThat(fields(new DescribeOutput("d", 100, 3600.0, 2000))).isEmpty();
        assertThat(fields(new DescribeOutput("d", 0, null, null))).containsExactly("outputs[0].top");
        assertThat(fields(new DescribeOutput("d", 101, null, null))).containsExactly("outputs[0].top");
        assertThat(fields(new DescribeOutput("d", null, 0.09, null))).containsExactly("outputs[0].every_seconds");
        assertThat(fields(new DescribeOutput("d", null, Double.NaN, null))).containsExactly("outputs[0].every_seconds");
        assertThat(fields(new DescribeOutput("d", null, null, 2001))).containsExactly("outputs[0].max_samples");
    }

    @Test
    void videoBitrateIsWhatTheEncoderTakes() {
        assertThat(fields(video(null, 49, null, null))).containsExactly("outputs[0].bitrate_kbps");
        assertThat(fields(video(null, 50, null, null))).isEmpty();
        assertThat(fields(video(null, 100_000, null, null))).isEmpty();
        assertThat(fields(video(null, 100_001, null, null))).containsExactly("outputs[0].bitrate_kbps");
    }

    @Test
    void videoFpsAtMost120AndCrfByContainer() {
        assertThat(fields(video(null, null, 120.0, null))).isEmpty();
        assertThat(fields(video(null, null, 121.0, null))).containsExactly("outputs[0].fps");
        assertThat(fields(video(52, null, null, null))).containsExactly("outputs[0].crf");
        assertThat(fields(video(63, null, null, Container.WEBM))).isEmpty();
    }

    @Test
    void subtitleTracksGoIntoMp4Only() {
        VideoOutput mp4 = new VideoOutput("v", null, null, null, null, null, null, null, null, null, null, null,
                null, null, true);
        VideoOutput webm = new VideoOutput("w", Container.WEBM, null, null, null, null, null, null, null, null, null,
                null, null, null, true);
        VideoOutput webmWithout = new VideoOutput("x", Container.WEBM, null, null, null, null, null, null, null, null,
                null, null, null, null, false);
        assertThat(fields(mp4, webm, webmWithout)).containsExactly("outputs[1].captions");
    }

    @Test
    void numbersARecordCanCarryButJsonCannotNeverPass() {
        assertThat(fields(video(null, null, Double.NaN, null))).containsExactly("outputs[0].fps");
        assertThat(fields(new PreviewOutput("p", null, Double.POSITIVE_INFINITY, null, null, null)))
                .containsExactly("outputs[0].start");
        assertThat(fields(new ImageOutput("i", null, null, null, Double.NaN, null))).containsExactly("outputs[0].at_seconds");
    }

    @Test
    void audioTrackIsAnIndexOrALanguageAndLoudnessStaysInRange() {
        assertThat(fields(new AudioOutput("a", null, null, "0", null), new AudioOutput("b", null, null, "fra", null),
                new AudioOutput("c", null, null, "fr", null))).isEmpty();
        assertThat(fields(new AudioOutput("a", null, null, "french", null))).containsExactly("outputs[0].audio_track");
        assertThat(fields(new AudioOutput("a", null, null, "-1", null))).containsExactly("outputs[0].audio_track");
        assertThat(fields(new HlsOutput("h", null, null, null, new Loudness(null, -40.0, 0.0)))).isEmpty();
        assertThat(fields(new HlsOutput("h", null, null, null, new Loudness(null, -4.0, -10.0))))
                .containsExactly("outputs[0].loudness.target_lufs", "outputs[0].loudness.true_peak_db");
        assertThat(fields(new VideoOutput("v", null, null, null, null, null, null, null, null, null, null, "x1",
                new Loudness(Loudness.Preset.BROADCAST, Double.NaN, null))))
                .containsExactly("outputs[0].audio_track", "outputs[0].loudness.target_lufs");
    }

    @Test
    void hlsRenditionsAndSegments() {
        HlsOutput ok = new HlsOutput("h", List.of(new HlsOutput.Rendition(16, 50), new HlsOutput.Rendition(4320, 100_000)), 1.0);
        assertThat(fields(ok)).isEmpty();
        assertThat(fields(new HlsOutput("h", List.of(new HlsOutput.Rendition(15, 800)), null)))
                .containsExactly("outputs[0].renditions[0].height");
        assertThat(fields(new HlsOutput("h", List.of(new HlsOutput.Rendition(4321, 800)), null)))
                .containsExactly("outputs[0].renditions[0].height");
        assertThat(fields(new HlsOutput("h", List.of(new HlsOutput.Rendition(720, 49)), null)))
                .containsExactly("outputs[0].renditions[0].bitrate_kbps");
        assertThat(fields(new HlsOutput("h", null, 0.5))).containsExactly("outputs[0].segment_seconds");
        assertThat(fields(new HlsOutput("h", List.of(), null))).containsExactly("outputs[0].renditions");
        assertThat(fields(new HlsOutput("h", Collections.nCopies(9, new HlsOutput.Rendition(720, 800)), null)))
                .contains("outputs[0].renditions", "outputs[0].renditions[1].height");
    }

    @Test
    void thumbnailsWidthCountAndEitherOr() {
        assertThat(fields(new ThumbnailsOutput("t", null, null, 3840, null, null))).isEmpty();
        assertThat(fields(new ThumbnailsOutput("t", null, null, 3841, null, null))).containsExactly("outputs[0].width");
        assertThat(fields(new ThumbnailsOutput("t", null, 2000, null, null, null))).isEmpty();
        assertThat(fields(new ThumbnailsOutput("t", null, 2001, null, null, null))).containsExactly("outputs[0].count");
        assertThat(fields(new ThumbnailsOutput("t", 2.0, 5, null, null, null))).containsExactly("outputs[0].count");
    }

    @Test
    void previewAndImageAndAudio() {
        assertThat(fields(new PreviewOutput("p", null, null, 30.0, 16, 50.0))).isEmpty();
        assertThat(fields(new PreviewOutput("p", null, null, 31.0, 15, 51.0)))
                .containsExactly("outputs[0].duration", "outputs[0].width", "outputs[0].fps");
        assertThat(fields(ImageOutput.of("i", 1, 8192))).isEmpty();
        assertThat(fields(ImageOutput.of("i", 0, 8193))).containsExactly("outputs[0].width", "outputs[0].height");
        assertThat(fields(new AudioOutput("a", null, 7), new AudioOutput("b", null, 513)))
                .containsExactly("outputs[0].bitrate_kbps", "outputs[1].bitrate_kbps");
    }

    @Test
    void overlayRules() {
        Overlay bad = new Overlay("k", null, 5, null, -1, 0, 1.5, 3.0, 2.0);
        assertThat(fields(new VideoOutput("v", null, null, null, null, null, null, null, null, null, bad)))
                .containsExactlyInAnyOrder("outputs[0].overlay.y", "outputs[0].overlay.margin",
                        "outputs[0].overlay.width", "outputs[0].overlay.opacity", "outputs[0].overlay.end");
        Overlay endAtZero = new Overlay("k", null, null, null, null, null, null, null, 0.0);
        assertThat(fields(new VideoOutput("v", null, null, null, null, null, null, null, null, null, endAtZero)))
                .contains("outputs[0].overlay.end");
    }

    @Test
    void theRawStoredFramesDoNotGoWithFacesFoundUpright() {
        Overlay faces = new Overlay("k", null, null, null, null, null, null, null, null, Overlay.Anchor.FACES,
                null, null);
        VideoOutput raw = new VideoOutput("v", null, null, null, null, null, null, null, null, null, faces, null,
                null, FaceRedaction.BLUR, null, false);
        assertThat(fields(raw)).containsExactlyInAnyOrder("outputs[0].overlay.anchor", "outputs[0].redact_faces");
        VideoOutput upright = new VideoOutput("v", null, null, null, null, null, null, null, null, null, faces, null,
                null, FaceRedaction.BLUR, null, true);
        assertThat(fields(upright)).isEmpty();
    }

    @Test
    void faceAnchoredOverlayTakesItsOwnParametersAndNoFramePlacement() {
        Overlay faces = new Overlay("k", null, null, null, null, null, 0.8, null, null, Overlay.Anchor.FACES, 1.0,
                32);
        assertThat(fields(new VideoOutput("v", null, null, null, null, null, null, null, null, null, faces)))
                .isEmpty();
        Overlay out = new Overlay("k", Overlay.Position.CENTER, 4, 4, 2, 50, null, null, null, Overlay.Anchor.FACES,
                1.5, 0);
        assertThat(fields(new VideoOutput("v", null, null, null, null, null, null, null, null, null, out)))
                .containsExactlyInAnyOrder("outputs[0].overlay.position", "outputs[0].overlay.x",
                        "outputs[0].overlay.y", "outputs[0].overlay.margin", "outputs[0].overlay.width",
                        "outputs[0].overlay.face_margin", "outputs[0].overlay.max_faces");
        Overlay onFrame = new Overlay("k", null, null, null, null, null, null, null, null, null, 0.1, 2);
        assertThat(fields(new VideoOutput("v", null, null, null, null, null, null, null, null, null, onFrame)))
                .containsExactly("outputs[0].overlay.face_margin", "outputs[0].overlay.max_faces");
    }

    @Test
    void namesCountAndNulls() {
        assertThat(fields(new ProbeOutput("../x"))).containsExactly("outputs[0].name");
        assertThat(fields(new ProbeOutput(null))).containsExactly("outputs[0].name");
        assertThat(fields(new ProbeOutput("a"), new ProbeOutput("a"))).containsExactly("outputs[1].name");
        assertThat(fields(new ProbeOutput("a"), null)).containsExactly("outputs[1]");
        assertThat(OutputRules.check(null)).extracting(Violation::field).containsExactly("outputs");
        assertThat(OutputRules.check(List.of())).extracting(Violation::field).containsExactly("outputs");
        List<OutputSpec> many = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            many.add(new ProbeOutput("p" + i));
        }
        assertThat(OutputRules.check(many)).extracting(Violation::message).containsExactly("must list 1 to 32 outputs");
    }

    @Test
    void oneOutputOnItsOwnIsNamedWithoutAPrefix() {
        assertThat(OutputRules.check("", video(null, 10, null, null))).extracting(Violation::toString)
                .containsExactly("bitrate_kbps: must be between 50 and 100000");
    }
}
