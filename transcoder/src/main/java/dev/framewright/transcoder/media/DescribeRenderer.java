package dev.framewright.transcoder.media;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framewright.events.DescribeLabel;
import dev.framewright.events.DescribeOutput;
import dev.framewright.events.FailureCode;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.rules.OutputRules;
import dev.framewright.transcoder.media.describe.ClassifierModel;
import dev.framewright.transcoder.media.describe.ModelSettings;
import dev.framewright.transcoder.media.describe.ModelUnavailableException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * {@code describe.json}: {@code {model, labels, everySeconds, summary: [{label, score}], samples: [{seconds,
 * labels: [{label, score}]}]}}. Each sample is a picture as displayed (upright, square pixels, SDR), the first frame
 * shown at or after each multiple of {@code everySeconds} (an image: its one picture at 0), squashed to the model's
 * input size; the samples of a video are classified in batches of up to {@link ClassifierModel#batchSize()}. The
 * summary is the {@code top} labels by mean probability over the samples, and is also the output result's
 * {@code labels}. Without a model configured, or with one that does not load, the output fails with
 * {@code model_unavailable}: there is never a made-up answer.
 */
final class DescribeRenderer {

    static final String FILE = "describe.json";
    static final double DEFAULT_EVERY_SECONDS = 1.0;

    private DescribeRenderer() {
    }

    /** One picture classified: its time and its probability per label. */
    record Sample(double seconds, float[] probabilities) {
    }

    /** What the model said of the input, and the time spent in the model (preprocessing included). */
    record Scan(ClassifierModel model, List<Sample> samples, double inferenceSeconds) {
    }

    static RenderedOutput render(Path input, DescribeOutput spec, ModelSettings settings, Path outDir)
            throws MediaException {
        OutputPlans.checkRules(spec);
        ClassifierModel model = model(settings);
        double every = spec.everySeconds() != null ? spec.everySeconds() : DEFAULT_EVERY_SECONDS;
        int maxSamples = spec.maxSamples() != null ? spec.maxSamples() : OutputRules.DESCRIBE_MAX_SAMPLES;
        int top = Math.min(model.labels().size(),
                spec.top() != null ? spec.top() : OutputRules.DESCRIBE_DEFAULT_TOP);
        Scan scan = scan(input, model, every, maxSamples);

        int k = model.labels().size();
        double[] mean = new double[k];
        for (Sample s : scan.samples()) {
            for (int i = 0; i < k; i++) {
                mean[i] += s.probabilities()[i] / scan.samples().size();
            }
        }
        float[] meanScores = new float[k];
        for (int i = 0; i < k; i++) {
            meanScores[i] = (float) mean[i];
        }
        List<DescribeLabel> summary = new ArrayList<>();
        for (int i : ClassifierModel.top(meanScores, top)) {
            summary.add(new DescribeLabel(model.labels().get(i), round(meanScores[i])));
        }

        ObjectNode root = JobEventJson.mapper().createObjectNode();
        root.put("model", model.name());
        root.put("labels", k);
        root.put("everySeconds", every);
        ArrayNode sum = root.putArray("summary");
        summary.forEach(l -> sum.addObject().put("label", l.label()).put("score", l.score()));
        ArrayNode samples = root.putArray("samples");
        for (Sample s : scan.samples()) {
            ObjectNode sample = samples.addObject();
            sample.put("seconds", Math.round(s.seconds() * 1000) / 1000.0);
            ArrayNode labels = sample.putArray("labels");
            for (int i : ClassifierModel.top(s.probabilities(), top)) {
                labels.addObject().put("label", model.labels().get(i)).put("score", round(s.probabilities()[i]));
            }
        }
        Path file = outDir.resolve(FILE);
        try {
            Files.createDirectories(outDir);
            JobEventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot write " + FILE, e);
        }
        return new RenderedOutput(spec.name(), spec.type(),
                List.of(new RenderedOutput.File(FILE, file, "application/json")), null, List.copyOf(summary));
    }

    /** The worker's model, loaded once; {@code model_unavailable} when none is configured or it does not load. */
    static ClassifierModel model(ModelSettings settings) throws MediaException {
        if (settings == null) {
            throw new MediaException(FailureCode.MODEL_UNAVAILABLE, "this worker has no classifier model configured "
                    + "(FRAMEWRIGHT_DESCRIBE_MODEL), so it cannot run describe outputs");
        }
        try {
            return ClassifierModel.shared(settings);
        } catch (ModelUnavailableException e) {
            throw new MediaException(FailureCode.MODEL_UNAVAILABLE, e.getMessage(), e);
        }
    }

    /**
     * Classifies the input: the one picture of an image, or one frame every {@code everySeconds} of a video, decoded
     * in order; more than {@code maxSamples} samples fail the output with {@code invalid_output}.
     */
    static Scan scan(Path input, ClassifierModel model, double everySeconds, int maxSamples) throws MediaException {
        String inputName = input.getFileName().toString();
        List<Sample> samples = new ArrayList<>();
        List<Double> pendingTimes = new ArrayList<>();
        List<float[]> pending = new ArrayList<>();
        long inferNanos = 0;
        FFmpegFrameGrabber grabber = FFmpegSupport.open(input, null);
        try (StillFrames frames = StillFrames.open(grabber, inputName)) {
            boolean picture = FFmpegSupport.isStillImage(grabber) || FFmpegSupport.isAttachedPicture(grabber);
            double next = 0;
            int index = 0;
            AVFrame f;
            while ((f = frames.next()) != null) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new java.util.concurrent.CancellationException("describe interrupted");
                }
                double t = picture ? 0 : frames.seconds(f);
                if (Double.isNaN(t)) {
                    t = index * everySeconds;
                }
                if (t + 1e-6 < next) {
                    continue;
                }
                if (++index > maxSamples) {
                    throw new MediaException(FailureCode.INVALID_OUTPUT, "more than " + maxSamples
                            + " describe samples; sample less often (every_seconds) or raise max_samples (at most "
                            + OutputRules.DESCRIBE_MAX_SAMPLES + ")");
                }
                AVFrame shown = frames.filtered() ? frames.upright(f) : f;
                BufferedImage image = frames.toImage(shown, model.width(), model.height(), false);
                byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
                long t0 = System.nanoTime();
                pending.add(model.input(bgr));
                pendingTimes.add(t);
                if (pending.size() == model.batchSize()) {
                    classify(model, pending, pendingTimes, samples);
                }
                inferNanos += System.nanoTime() - t0;
                if (picture) {
                    break;
                }
                next = (Math.floor(t / everySeconds + 1e-9) + 1) * everySeconds;
            }
            long t0 = System.nanoTime();
            classify(model, pending, pendingTimes, samples);
            inferNanos += System.nanoTime() - t0;
            if (samples.isEmpty()) {
                throw new MediaException(FailureCode.UNSUPPORTED_MEDIA, inputName + " has no decodable frame");
            }
            return new Scan(model, samples, inferNanos / 1e9);
        } finally {
            FFmpegSupport.closeQuietly(grabber);
        }
    }

    private static void classify(ClassifierModel model, List<float[]> pending, List<Double> times,
            List<Sample> into) throws MediaException {
        if (pending.isEmpty()) {
            return;
        }
        float[][] probabilities;
        try {
            probabilities = model.classify(pending);
        } catch (ModelUnavailableException e) {
            throw new MediaException(FailureCode.MODEL_UNAVAILABLE, e.getMessage(), e);
        }
        for (int i = 0; i < probabilities.length; i++) {
            into.add(new Sample(times.get(i), probabilities[i]));
        }
        pending.clear();
        times.clear();
    }

    private static double round(float score) {
        return Math.round(score * 10_000.0) / 10_000.0;
    }
}
