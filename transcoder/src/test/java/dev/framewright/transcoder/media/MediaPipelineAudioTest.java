package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.AudioTestMedia.db;
import static dev.framewright.transcoder.media.AudioTestMedia.tone;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.framewright.events.AudioOutput;
import dev.framewright.events.Loudness;
import dev.framewright.events.LoudnessReport;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.VideoOutput;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audio paths, decoded and measured: which track, how 5.1 becomes stereo, loudness normalisation. */
class MediaPipelineAudioTest {

    private static final double[] SURROUND_HZ = {200, 300, 400, 500, 600, 700}; // FL FR FC LFE SL SR

    @Test
    void shouldDownmixFivePointOneWithTheStandardMatrix() throws Exception {
        Path input = AudioTestMedia.mkv("surround.mkv", null, 2,
                new AudioTestMedia.Track("eng", true, "5.1(side)", 6, AudioTestMedia.tones(0.2, SURROUND_HZ)));

        MediaPipeline.Outcome outcome = render(input, List.of(new AudioOutput("stereo", null, 192)));

        AudioTestMedia.Pcm pcm = AudioTestMedia.decode(file(output(outcome, "stereo"), "audio.m4a"));
        assertThat(pcm.channels()).isEqualTo(2);
        double[] left = levels(pcm.samples()[0], pcm.rate());
        double[] right = levels(pcm.samples()[1], pcm.rate());
        // L = FL + 0.707 FC + 0.707 SL; R = FR + 0.707 FC + 0.707 SR; LFE dropped (-3 dB is 0.707)
        assertThat(db(left[2] / left[0])).as("centre in L, dB").isCloseTo(-3, within(0.5));
        assertThat(db(left[4] / left[0])).as("left surround in L, dB").isCloseTo(-3, within(0.5));
        assertThat(db(right[2] / right[1])).as("centre in R, dB").isCloseTo(-3, within(0.5));
        assertThat(db(right[5] / right[1])).as("right surround in R, dB").isCloseTo(-3, within(0.5));
        for (int absent : new int[] {1, 3, 5}) {
            assertThat(db(left[absent] / left[0])).as(SURROUND_HZ[absent] + " Hz in L, dB").isLessThan(-30);
        }
        for (int absent : new int[] {0, 3, 4}) {
            assertThat(db(right[absent] / right[1])).as(SURROUND_HZ[absent] + " Hz in R, dB").isLessThan(-30);
        }
        assertThat(left[0]).as("front left keeps its level").isCloseTo(0.2, within(0.03));
    }

    @Test
    void shouldTakeTheDefaultFlaggedTrackUnlessAskedForAnother() throws Exception {
        // fra first and unflagged, eng second and flagged default: a player plays eng
        Path input = AudioTestMedia.mkv("two-tracks.mkv", TestMedia.clip320WithAudio(), 1,
                new AudioTestMedia.Track("fra", false, "stereo", 2, AudioTestMedia.tones(0.3, 660, 660)),
                new AudioTestMedia.Track("eng", true, "stereo", 2, AudioTestMedia.tones(0.3, 440, 440)));

        MediaPipeline.Outcome outcome = render(input, List.<OutputSpec>of(
                new AudioOutput("default", null, null),
                new AudioOutput("french", null, null, "fra", null),
                new AudioOutput("second", null, null, "1", null),
                new AudioOutput("german", null, null, "de", null),
                new VideoOutput("video", null, 160, null, null, null, null, null, null, null, null),
                new VideoOutput("video-fr", null, 160, null, null, null, null, null, null, null, null, "fr", null)));

        assertThat(dominant(file(output(outcome, "default"), "audio.m4a"))).isEqualTo(440);
        assertThat(dominant(file(output(outcome, "french"), "audio.m4a"))).isEqualTo(660);
        assertThat(dominant(file(output(outcome, "second"), "audio.m4a"))).isEqualTo(440);
        assertThat(dominant(file(output(outcome, "video"), "video.mp4"))).isEqualTo(440);
        assertThat(dominant(file(output(outcome, "video-fr"), "video.mp4"))).isEqualTo(660);
        assertThat(outcome.failed()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("german");
            assertThat(f.code()).isEqualTo("invalid_output");
            assertThat(f.message()).contains("no audio track in 'de'").contains("fra").contains("eng");
        });
    }

    @Test
    void shouldNormaliseALoudAndAQuietHalfToTheTarget() throws Exception {
        // 3 s at -6 dBFS peak, 3 s 14 dB quieter: about -6 LUFS integrated
        AudioTestMedia.Signal signal = (ch, i) -> (i < 3 * AudioTestMedia.RATE ? 0.5 : 0.1)
                * Math.sin(2 * Math.PI * 1000 * i / AudioTestMedia.RATE);
        Path input = AudioTestMedia.mkv("loud-quiet.mkv", null, 6,
                new AudioTestMedia.Track("eng", true, "stereo", 2, signal));
        double inputLufs = AudioTestMedia.integratedLufs(AudioTestMedia.decode(input));

        MediaPipeline.Outcome outcome = render(input, List.of(
                new AudioOutput("web", null, null, null, new Loudness(Loudness.Preset.WEB, null, null)),
                new AudioOutput("broadcast", null, null, null, new Loudness(Loudness.Preset.BROADCAST, null, null)),
                new AudioOutput("plain", null, null)));

        for (String name : List.of("web", "broadcast")) {
            double target = name.equals("web") ? -16 : -23;
            RenderedOutput out = output(outcome, name);
            AudioTestMedia.Pcm pcm = AudioTestMedia.decode(file(out, "audio.m4a"));
            assertThat(AudioTestMedia.integratedLufs(pcm)).as(name + " output LUFS").isCloseTo(target, within(1.0));
            assertThat(AudioTestMedia.truePeakDb(pcm)).as(name + " true peak").isLessThanOrEqualTo(-1);
            LoudnessReport report = out.media().loudness();
            assertThat(report.targetLufs()).isEqualTo(target);
            assertThat(report.inputIntegratedLufs()).as("measured input").isCloseTo(inputLufs, within(0.5));
            assertThat(report.integratedLufs()).as("reported output").isCloseTo(target, within(0.5));
            assertThat(report.gainDb()).isCloseTo(target - inputLufs, within(0.5));
        }
        assertThat(output(outcome, "plain").media().loudness()).isNull();
        assertThat(AudioTestMedia.integratedLufs(AudioTestMedia.decode(file(output(outcome, "plain"), "audio.m4a"))))
                .as("untouched").isCloseTo(inputLufs, within(0.5));
    }

    @Test
    void shouldHoldTruePeaksUnderTheLimitWhenTheGainWouldClip() throws Exception {
        // a quiet tone (about -31 LUFS) with a click at -6 dBFS each second (one 3 kHz period, too short to add
        // loudness): +15 dB would put the clicks at +9 dBFS
        AudioTestMedia.Signal signal = (ch, i) -> i % AudioTestMedia.RATE < 16
                ? 0.5 * Math.sin(2 * Math.PI * 3000 * i / AudioTestMedia.RATE)
                : 0.03 * Math.sin(2 * Math.PI * 500 * i / AudioTestMedia.RATE);
        Path input = AudioTestMedia.mkv("clicks.mkv", null, 6,
                new AudioTestMedia.Track(null, true, "stereo", 2, signal));

        MediaPipeline.Outcome outcome = render(input, List.of(
                new AudioOutput("web", null, null, null, new Loudness(null, -16.0, -2.0))));

        AudioTestMedia.Pcm pcm = AudioTestMedia.decode(file(output(outcome, "web"), "audio.m4a"));
        assertThat(AudioTestMedia.truePeakDb(pcm)).as("true peak").isLessThanOrEqualTo(-2);
        assertThat(AudioTestMedia.integratedLufs(pcm)).as("output LUFS").isCloseTo(-16, within(1.0));
    }

    @Test
    void shouldRefuseALoudnessTargetOutOfRange() throws Exception {
        MediaPipeline.Outcome outcome = render(TestMedia.audioOnly(), List.of(
                new AudioOutput("a", null, null, null, new Loudness(null, -2.0, null))));

        assertThat(outcome.failed()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("invalid_output");
            assertThat(f.message()).contains("loudness.target_lufs");
        });
    }

    private static double[] levels(float[] x, int rate) {
        int from = rate / 2;
        int to = from + rate; // 1 s in the middle: whole periods of every tone
        double[] out = new double[SURROUND_HZ.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = tone(x, rate, SURROUND_HZ[i], from, to);
        }
        return out;
    }

    private static int dominant(Path file) throws Exception {
        AudioTestMedia.Pcm pcm = AudioTestMedia.decode(file);
        int from = pcm.rate() / 4;
        int to = from + pcm.rate() / 2;
        double a440 = tone(pcm.samples()[0], pcm.rate(), 440, from, to);
        double a660 = tone(pcm.samples()[0], pcm.rate(), 660, from, to);
        assertThat(Math.max(a440, a660)).as("a tone in " + file.getFileName()).isGreaterThan(0.1);
        return a440 > a660 ? 440 : 660;
    }
}
