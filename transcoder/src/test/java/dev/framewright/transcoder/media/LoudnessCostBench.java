package dev.framewright.transcoder.media;

import dev.framewright.events.AudioOutput;
import dev.framewright.events.Loudness;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What loudness normalisation costs per minute of 48 kHz stereo: the first pass alone (decode + ebur128 with true
 * peak), a plain AAC encode, and the normalised encode (both passes). Not a test: run with {@code -Dbench=true
 * -Dtest=LoudnessCostBench}; it prints its figures.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class LoudnessCostBench {

    @Test
    void printCosts() throws Exception {
        Path input = AudioTestMedia.mkv("minute.mkv", null, 60, new AudioTestMedia.Track("eng", true, "stereo", 2,
                (ch, i) -> (i / AudioTestMedia.RATE % 2 == 0 ? 0.5 : 0.1)
                        * Math.sin(2 * Math.PI * (440 + 220 * ch) * i / AudioTestMedia.RATE)));
        for (int round = 0; round < 2; round++) {
            long t0 = System.nanoTime();
            LoudnessMeter.measure(input, 0, new OutputPlans.Window(0, Double.POSITIVE_INFINITY));
            long t1 = System.nanoTime();
            MediaPipelineTestSupport.render(input, List.of(new AudioOutput("plain", null, null)));
            long t2 = System.nanoTime();
            MediaPipelineTestSupport.render(input, List.of(new AudioOutput("web", null, null, null,
                    new Loudness(Loudness.Preset.WEB, null, null))));
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "BENCH per minute of stereo: first pass %.2f s, plain AAC encode %.2f s, "
                    + "normalised encode (both passes) %.2f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        }
    }
}
