package dev.framewright.transcoder.media.describe;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * A small but real ONNX image classifier, written by the test (no committed binary): the ModelProto protobuf built
 * field by field, as onnx.proto numbers them. Graph: {@code pixels float[N,3,16,16] -> GlobalAveragePool -> Flatten
 * -> Gemm (fixed weights, 3 -> 5) -> Softmax -> scores float[N,5]}, labels {@link #LABELS}. Each label's weights are
 * its colour's template in the normalised space ({@code (x - 0.5) / 0.5}, so each channel is -1 or 1), times
 * {@link #GAIN}: the mean colour of a picture scores highest on the nearest template. The mean and std travel as the
 * model's metadata properties, as a real model's would; without them a red picture would tie red and white.
 */
public final class ColourClassifier {

    public static final List<String> LABELS = List.of("red", "green", "blue", "white", "black");
    static final float[][] TEMPLATES = {{1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}, {1, 1, 1}, {-1, -1, -1}};
    static final float GAIN = 4;
    public static final int SIDE = 16;

    private ColourClassifier() {
    }

    /** Writes {@code colours.onnx} and {@code colours.labels.txt} (the default labels name) into {@code dir}. */
    public static Path write(Path dir) throws IOException {
        return write(dir, SIDE);
    }

    /** The same model with a {@code side x side} input (the bench takes 224, a usual classifier's size). */
    public static Path write(Path dir, int side) throws IOException {
        Files.createDirectories(dir);
        Path model = dir.resolve("colours.onnx");
        Files.write(model, model(side));
        Files.write(dir.resolve("colours.labels.txt"), String.join("\n", LABELS).concat("\n")
                .getBytes(StandardCharsets.UTF_8));
        return model;
    }

    /** The ModelProto bytes. */
    public static byte[] model() {
        return model(SIDE);
    }

    static byte[] model(int side) {
        int k = LABELS.size();
        float[] weights = new float[3 * k]; // B of Gemm: [3, K], row-major
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < k; j++) {
                weights[c * k + j] = GAIN * TEMPLATES[j][c];
            }
        }
        float[] bias = new float[k];

        Proto graph = new Proto()
                .message(1, node("GlobalAveragePool", List.of("pixels"), "pooled", null))
                .message(1, node("Flatten", List.of("pooled"), "flat", new Proto().string(1, "axis").varint(3, 1)
                        .varint(20, 2)))
                .message(1, node("Gemm", List.of("flat", "W", "b"), "logits", null))
                .message(1, node("Softmax", List.of("logits"), "scores", new Proto().string(1, "axis").varint(3, 1)
                        .varint(20, 2)))
                .string(2, "colours")
                .message(5, tensor("W", new long[] {3, k}, weights))
                .message(5, tensor("b", new long[] {k}, bias))
                .message(11, valueInfo("pixels", "N", 3, side, side))
                .message(12, valueInfo("scores", "N", k));
        return new Proto()
                .varint(1, 8) // ir_version
                .string(2, "framewright-test")
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 13)) // opset_import: ai.onnx 13
                .message(14, new Proto().string(1, "mean").string(2, "0.5,0.5,0.5"))
                .message(14, new Proto().string(1, "std").string(2, "0.5,0.5,0.5"))
                .bytes();
    }

    /** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. */
    private static Proto node(String op, List<String> inputs, String output, Proto attribute) {
        Proto n = new Proto();
        inputs.forEach(i -> n.string(1, i));
        n.string(2, output).string(3, op.toLowerCase()).string(4, op);
        if (attribute != null) {
            n.message(5, attribute);
        }
        return n;
    }

    /** TensorProto: dims 1, data_type 2 (1 = FLOAT), float_data 4 (packed), name 8. */
    private static Proto tensor(String name, long[] dims, float[] values) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, 1).floats(4, values).string(8, name);
    }

    /** ValueInfoProto {name 1, type 2: TypeProto {tensor_type 1: {elem_type 1, shape 2: {dim 1...}}}}. */
    private static Proto valueInfo(String name, String batch, long... dims) {
        Proto shape = new Proto().message(1, new Proto().string(2, batch)); // dim_param
        for (long d : dims) {
            shape.message(1, new Proto().varint(1, d)); // dim_value
        }
        Proto tensorType = new Proto().varint(1, 1).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** An 80x60 PNG of one flat colour. */
    public static Path flatPng(Path dir, int rgb) throws IOException {
        Path out = dir.resolve("flat-" + Integer.toHexString(rgb) + ".png");
        BufferedImage img = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 80; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(img, "png", out.toFile());
        return out;
    }

    /** 2 s at 25 fps, 96x64 H.264 in MP4: red for the first second, blue from 1 s. */
    public static Path redThenBlue(Path dir) throws IOException {
        Path out = dir.resolve("red-blue.mp4");
        int width = 96;
        int height = 64;
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), width, height, 0)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(25);
            recorder.setVideoOption("preset", "ultrafast");
            recorder.start();
            ByteBuffer bgr = ByteBuffer.allocateDirect(width * height * 3);
            for (int f = 0; f < 50; f++) {
                boolean red = f < 25;
                for (int i = 0; i < width * height; i++) {
                    bgr.put(i * 3, (byte) (red ? 20 : 220)).put(i * 3 + 1, (byte) 20)
                            .put(i * 3 + 2, (byte) (red ? 220 : 20));
                }
                recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 3, width * 3, avutil.AV_PIX_FMT_BGR24, bgr);
            }
            recorder.stop();
        }
        return out;
    }

    /** Protocol-buffer wire format: varints (type 0) and length-delimited fields (type 2), enough for ONNX. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            raw(field << 3);
            raw(value);
            return this;
        }

        Proto string(int field, String value) {
            return delimited(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return delimited(field, message.bytes());
        }

        Proto floats(int field, float[] values) {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                b.putFloat(v);
            }
            return delimited(field, b.array());
        }

        private Proto delimited(int field, byte[] data) {
            raw((field << 3) | 2);
            raw(data.length);
            out.writeBytes(data);
            return this;
        }

        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
