package dev.framewright.transcoder.media;

import dev.framewright.events.DescribeOutput;
import dev.framewright.events.OutputSpec;
import dev.framewright.transcoder.media.describe.ClassifierModel;
import dev.framewright.transcoder.media.describe.ColourClassifier;
import dev.framewright.transcoder.media.describe.ModelSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What describe costs with the model loaded once: per 720p frame (decode, upright, scale to the model's 224x224,
 * tensor, ONNX Runtime run; every frame of a 2 s clip, batched 16 a run), the model's share of it, and image jobs
 * a second through {@code MediaPipeline.render} (probe, decode, classify, write describe.json). The model is
 * {@link ColourClassifier} at 224x224: its graph is tiny, so the figures are the cost around a model, and a real
 * classifier adds its own inference time. Not a test: run with {@code -Dbench=true -Dtest=DescribeCostBench}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class DescribeCostBench {

    @Test
    void printCosts() throws Exception {
        Path dir = TestMedia.newDir();
        ModelSettings settings = ModelSettings.of(Optional.of(ColourClassifier.write(dir, 224).toString()),
                Optional.empty()).orElseThrow();
        long t0 = System.nanoTime();
        ClassifierModel model = ClassifierModel.shared(settings);
        System.out.printf(Locale.ROOT, "BENCH describe model load (224x224 input): %.0f ms%n",
                (System.nanoTime() - t0) / 1e6);
        Path clip = TestMedia.clip720WithAudio();
        for (int round = 0; round < 5; round++) {
            long s0 = System.nanoTime();
            DescribeRenderer.Scan scan = DescribeRenderer.scan(clip, model, 0.04, 2000);
            double total = (System.nanoTime() - s0) / 1e6 / scan.samples().size();
            System.out.printf(Locale.ROOT, "BENCH describe per 720p frame: %.2f ms (%d frames), of which tensor + "
                    + "model run %.2f ms%n", total, scan.samples().size(),
                    scan.inferenceSeconds() * 1000 / scan.samples().size());
        }
        Path image = ColourClassifier.flatPng(dir, 0xE01010);
        List<OutputSpec> outputs = List.of(new DescribeOutput("d", null, null, null));
        for (int round = 0; round < 5; round++) {
            int jobs = 100;
            long j0 = System.nanoTime();
            for (int i = 0; i < jobs; i++) {
                MediaPipeline.render(image, MediaProbe.probe(image), outputs, Map.of(), TestMedia.newDir(), null,
                        settings);
            }
            double seconds = (System.nanoTime() - j0) / 1e9;
            System.out.printf(Locale.ROOT, "BENCH describe image jobs (80x60 PNG, model loaded once): %.1f jobs/s, "
                    + "%.2f ms a job%n", jobs / seconds, seconds * 1000 / jobs);
        }
    }
}
