package dev.framewright.transcoder.media.describe;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An image classifier in ONNX, run by ONNX Runtime in this JVM: one float input {@code [N, 3, H, W]} (RGB planes,
 * {@code H} and {@code W} fixed in the model, {@code N} fixed or dynamic) and one float output {@code [N, K]}, one
 * score per label. The model is loaded once per worker process ({@link #shared}) and its session is shared by every
 * thread: {@link OrtSession#run} is thread safe.
 *
 * <p>Preprocessing: the picture (packed BGR at the model's {@code W x H}) becomes RGB planes scaled to 0-1 and
 * normalised {@code (x - mean) / std} per channel, the mean and std read from the model's metadata properties
 * {@code mean} and {@code std} (three comma-separated numbers each; 0 and 1 without them). The scores are taken as
 * probabilities when every row already is a distribution (the model ends in a softmax), and put through a softmax
 * otherwise (logits).
 */
public final class ClassifierModel {

    /** The most pictures classified in one run, when the model's batch dimension is dynamic. */
    public static final int MAX_BATCH = 16;

    private static final Map<ModelSettings, ClassifierModel> LOADED = new ConcurrentHashMap<>();

    private final String name;
    private final OrtSession session;
    private final String inputName;
    private final int width;
    private final int height;
    private final boolean dynamicBatch;
    private final float[] mean;
    private final float[] std;
    private final List<String> labels;

    private ClassifierModel(String name, OrtSession session, String inputName, int width, int height,
            boolean dynamicBatch, float[] mean, float[] std, List<String> labels) {
        this.name = name;
        this.session = session;
        this.inputName = inputName;
        this.width = width;
        this.height = height;
        this.dynamicBatch = dynamicBatch;
        this.mean = mean;
        this.std = std;
        this.labels = labels;
    }

    /**
     * The worker's model for these settings: loaded on the first call (a failed load is not remembered, so the next
     * job tries again once the operator fixed the file), then the same instance for every job of this process.
     */
    public static ClassifierModel shared(ModelSettings settings) throws ModelUnavailableException {
        ClassifierModel m = LOADED.get(settings);
        if (m != null) {
            return m;
        }
        synchronized (LOADED) {
            m = LOADED.get(settings);
            if (m == null) {
                m = load(settings);
                LOADED.put(settings, m);
            }
            return m;
        }
    }

    /** Loads and checks the model and its labels; every reason it cannot be used is a clear message. */
    public static ClassifierModel load(ModelSettings settings) throws ModelUnavailableException {
        Path file = settings.model();
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw new ModelUnavailableException("the classifier model " + name + " does not exist on this worker");
        }
        List<String> labels = readLabels(settings.labels());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            session = env.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new ModelUnavailableException("the classifier model " + name + " does not load: " + e.getMessage(),
                    e);
        }
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            if (inputs.size() != 1 || outputs.isEmpty()) {
                throw unfit(name, "needs one input and an output; it has " + inputs.size() + " inputs and "
                        + outputs.size() + " outputs");
            }
            NodeInfo input = inputs.values().iterator().next();
            if (!(input.getInfo() instanceof TensorInfo in) || in.type != OnnxJavaType.FLOAT
                    || in.getShape().length != 4 || in.getShape()[1] != 3 || in.getShape()[2] <= 0
                    || in.getShape()[3] <= 0 || (in.getShape()[0] != -1 && in.getShape()[0] != 1)) {
                throw unfit(name, "its input must be float [N, 3, H, W] with H and W fixed; it is " + input.getInfo());
            }
            NodeInfo output = outputs.values().iterator().next();
            if (!(output.getInfo() instanceof TensorInfo out) || out.type != OnnxJavaType.FLOAT
                    || out.getShape().length != 2) {
                throw unfit(name, "its first output must be float [N, K]; it is " + output.getInfo());
            }
            long classes = out.getShape()[1];
            if (classes > 0 && classes != labels.size()) {
                throw unfit(name, "it scores " + classes + " classes and the labels file lists " + labels.size());
            }
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            float[] mean = triple(name, meta.get("mean"), 0f);
            float[] std = triple(name, meta.get("std"), 1f);
            for (float s : std) {
                if (!(s > 0)) {
                    throw unfit(name, "its std metadata must be positive numbers");
                }
            }
            return new ClassifierModel(name, session, input.getName(), (int) in.getShape()[3],
                    (int) in.getShape()[2], in.getShape()[0] == -1, mean, std, labels);
        } catch (OrtException e) {
            close(session);
            throw new ModelUnavailableException("the classifier model " + name + " cannot be read: " + e.getMessage(),
                    e);
        } catch (ModelUnavailableException e) {
            close(session);
            throw e;
        }
    }

    private static ModelUnavailableException unfit(String name, String why) {
        return new ModelUnavailableException("the classifier model " + name + " does not fit describe: " + why);
    }

    private static void close(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // nothing more to release
        }
    }

    private static List<String> readLabels(Path file) throws ModelUnavailableException {
        List<String> labels = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    labels.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new ModelUnavailableException("the labels file " + file.getFileName() + " of the classifier model "
                    + "cannot be read (FRAMEWRIGHT_DESCRIBE_LABELS)", e);
        }
        if (labels.isEmpty()) {
            throw new ModelUnavailableException("the labels file " + file.getFileName() + " lists no label");
        }
        return List.copyOf(labels);
    }

    private static float[] triple(String name, String value, float absent) throws ModelUnavailableException {
        if (value == null || value.isBlank()) {
            return new float[] {absent, absent, absent};
        }
        String[] parts = value.split(",");
        if (parts.length != 3) {
            throw unfit(name, "its mean/std metadata must be three comma-separated numbers, not '" + value + "'");
        }
        float[] out = new float[3];
        try {
            for (int i = 0; i < 3; i++) {
                out[i] = Float.parseFloat(parts[i].strip());
            }
        } catch (NumberFormatException e) {
            throw unfit(name, "its mean/std metadata must be numbers, not '" + value + "'");
        }
        return out;
    }

    /** The model file's name (never its path), for the output document. */
    public String name() {
        return name;
    }

    /** Pictures go in at this width x height. */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public List<String> labels() {
        return labels;
    }

    /** How many pictures one {@link #classify} call takes at most. */
    public int batchSize() {
        return dynamicBatch ? MAX_BATCH : 1;
    }

    /** A packed BGR picture of {@link #width()} x {@link #height()} as the model's normalised RGB planes. */
    public float[] input(byte[] bgr) {
        int plane = width * height;
        if (bgr.length < plane * 3) {
            throw new IllegalArgumentException("a " + width + "x" + height + " BGR picture has " + plane * 3
                    + " bytes, not " + bgr.length);
        }
        float[] chw = new float[plane * 3];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) { // RGB planes from BGR bytes
                float v = (bgr[p * 3 + (2 - c)] & 0xff) / 255f;
                chw[c * plane + p] = (v - mean[c]) / std[c];
            }
        }
        return chw;
    }

    /**
     * The label probabilities of each picture (from {@link #input}), in order; at most {@link #batchSize()} at once.
     *
     * @throws ModelUnavailableException when the runtime fails on the model (it loaded but does not run)
     */
    public float[][] classify(List<float[]> pictures) throws ModelUnavailableException {
        if (pictures.isEmpty() || pictures.size() > batchSize()) {
            throw new IllegalArgumentException("1 to " + batchSize() + " pictures a run, not " + pictures.size());
        }
        int per = 3 * width * height;
        FloatBuffer data = FloatBuffer.allocate(per * pictures.size());
        for (float[] p : pictures) {
            data.put(p, 0, per);
        }
        data.flip();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, new long[] {pictures.size(), 3, height, width});
                OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            OnnxValue value = result.get(0);
            if (!(value.getValue() instanceof float[][] scores) || scores.length != pictures.size()) {
                throw new ModelUnavailableException("the classifier model " + name + " answered "
                        + value.getInfo() + ", not one row of scores per picture");
            }
            float[][] out = new float[scores.length][];
            for (int i = 0; i < scores.length; i++) {
                if (scores[i].length != labels.size()) {
                    throw new ModelUnavailableException("the classifier model " + name + " scored "
                            + scores[i].length + " classes for " + labels.size() + " labels");
                }
                out[i] = probabilities(scores[i]);
            }
            return out;
        } catch (OrtException e) {
            throw new ModelUnavailableException("the classifier model " + name + " failed to run: " + e.getMessage(),
                    e);
        }
    }

    /** The scores as they are when they already are a distribution; their softmax otherwise. */
    static float[] probabilities(float[] scores) {
        double sum = 0;
        boolean distribution = true;
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            distribution &= s >= 0 && s <= 1;
            sum += s;
            max = Math.max(max, s);
        }
        if (distribution && Math.abs(sum - 1) < 1e-3) {
            return scores.clone();
        }
        double[] e = new double[scores.length];
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            e[i] = Math.exp(scores[i] - max);
            total += e[i];
        }
        float[] out = new float[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = (float) (e[i] / total);
        }
        return out;
    }

    /** The {@code k} best label indexes of one picture's probabilities, best first (ties: the earlier label). */
    public static int[] top(float[] probabilities, int k) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -probabilities[i]).thenComparing(i -> i));
        return order.stream().limit(k).mapToInt(Integer::intValue).toArray();
    }
}
