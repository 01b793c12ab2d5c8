package dev.framewright.transcoder.media;

import static dev.framewright.transcoder.media.MediaPipelineTestSupport.file;
import static dev.framewright.transcoder.media.MediaPipelineTestSupport.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.framewright.events.DescribeLabel;
import dev.framewright.events.DescribeOutput;
import dev.framewright.events.FailureCode;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.OutputFailure;
import dev.framewright.events.OutputSpec;
import dev.framewright.transcoder.media.describe.ClassifierModel;
import dev.framewright.transcoder.media.describe.ColourClassifier;
import dev.framewright.transcoder.media.describe.ModelSettings;
import dev.framewright.transcoder.media.describe.ModelUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * describe through the real pipeline and ONNX Runtime, on {@link ColourClassifier}, a small ONNX model this test
 * writes: flat-colour pictures and a video whose colour changes at 1 s, classified by the label of their colour.
 */
class DescribeTest {

    private static ModelSettings model;

    @BeforeAll
    static void writeTheModel() throws Exception {
        Path dir = TestMedia.newDir();
        model = ModelSettings.of(Optional.of(ColourClassifier.write(dir).toString()), Optional.empty()).orElseThrow();
    }

    @Test
    void shouldLabelARedImageRedAndABlueOneBlue() throws Exception {
        JsonNode red = describe(render(png(0xE01010), List.of(new DescribeOutput("d", 2, null, null)), model));
        assertThat(red.get("model").asText()).isEqualTo("colours.onnx");
        assertThat(red.get("labels").asInt()).isEqualTo(5);
        assertThat(red.get("samples")).hasSize(1);
        JsonNode labels = red.get("samples").get(0).get("labels");
        assertThat(labels).as("top 2 of %s", red).hasSize(2);
        assertThat(labels.get(0).get("label").asText()).isEqualTo("red");
        assertThat(labels.get(0).get("score").asDouble()).isGreaterThan(0.9);
        assertThat(labels.get(1).get("score").asDouble()).isLessThan(0.05);
        assertThat(red.get("samples").get(0).get("seconds").asDouble()).isZero();

        JsonNode blue = describe(render(png(0x1818D0), List.of(new DescribeOutput("d", null, null, null)), model));
        JsonNode top = blue.get("samples").get(0).get("labels");
        assertThat(top).hasSize(5); // default 5, all of this model's labels
        assertThat(top.get(0).get("label").asText()).isEqualTo("blue");
        assertThat(top.get(0).get("score").asDouble()).isGreaterThan(0.9);
        double sum = 0;
        for (JsonNode l : top) {
            sum += l.get("score").asDouble();
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void shouldPutTheSummaryInTheOutputResult() throws Exception {
        MediaPipeline.Outcome outcome = render(png(0xF0F0F0), List.of(new DescribeOutput("d", 1, null, null)), model);
        List<DescribeLabel> summary = output(outcome, "d").labels();
        assertThat(summary).singleElement().satisfies(l -> {
            assertThat(l.label()).isEqualTo("white");
            assertThat(l.score()).isGreaterThan(0.9);
        });
    }

    @Test
    void shouldFollowAVideoWhoseColourChangesAtOneSecond() throws Exception {
        Path video = redThenBlue();
        JsonNode d = describe(render(video, List.of(new DescribeOutput("d", 1, 0.5, null)), model));

        List<String> seen = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        for (JsonNode s : d.get("samples")) {
            times.add(s.get("seconds").asDouble());
            seen.add(s.get("labels").get(0).get("label").asText());
            assertThat(s.get("labels").get(0).get("score").asDouble()).isGreaterThan(0.9);
        }
        // The first frame at or after each multiple of 0.5 s; at 25 fps, 0.5 s falls between frames 0.48 and 0.52.
        assertThat(times).containsExactly(0.0, 0.52, 1.0, 1.52);
        assertThat(seen).containsExactly("red", "red", "blue", "blue");
        JsonNode summary = d.get("summary");
        assertThat(summary).hasSize(1);
        assertThat(summary.get(0).get("label").asText()).isIn("red", "blue");
        assertThat(summary.get(0).get("score").asDouble()).isBetween(0.4, 0.6);
    }

    @Test
    void shouldFailAVideoPastItsMaxSamplesWithInvalidOutput() throws Exception {
        MediaPipeline.Outcome outcome = render(redThenBlue(), List.of(new DescribeOutput("d", 1, 0.5, 3)), model);
        assertThat(outcome.failed()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(FailureCode.INVALID_OUTPUT.wireName());
            assertThat(f.message()).contains("more than 3 describe samples");
        });
    }

    @Test
    void shouldFailWithModelUnavailableWhereNoModelIsConfigured() throws Exception {
        MediaPipeline.Outcome outcome = render(png(0xE01010), List.of(new DescribeOutput("d", null, null, null)),
                null);
        assertThat(outcome.rendered()).isEmpty();
        OutputFailure f = outcome.failed().get(0);
        assertThat(f.code()).isEqualTo(FailureCode.MODEL_UNAVAILABLE.wireName());
        assertThat(f.message()).contains("no classifier model configured");
    }

    @Test
    void shouldRefuseACorruptModelFileAtLoadWithAClearMessage() throws Exception {
        Path dir = TestMedia.newDir();
        Path corrupt = dir.resolve("broken.onnx");
        byte[] good = ColourClassifier.model();
        Files.write(corrupt, java.util.Arrays.copyOf(good, good.length / 2)); // truncated protobuf
        Files.writeString(dir.resolve("broken.labels.txt"), String.join("\n", ColourClassifier.LABELS));
        ModelSettings settings = ModelSettings.of(Optional.of(corrupt.toString()), Optional.empty()).orElseThrow();

        assertThatThrownBy(() -> ClassifierModel.load(settings)).isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("broken.onnx does not load");
        MediaPipeline.Outcome outcome = render(png(0xE01010), List.of(new DescribeOutput("d", null, null, null)),
                settings);
        assertThat(outcome.failed()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(FailureCode.MODEL_UNAVAILABLE.wireName());
            assertThat(f.message()).contains("broken.onnx does not load");
        });
    }

    @Test
    void shouldRefuseLabelsThatDoNotMatchTheModel() throws Exception {
        Path dir = TestMedia.newDir();
        Path file = ColourClassifier.write(dir);
        Path labels = dir.resolve("three.txt");
        Files.writeString(labels, "red\ngreen\nblue\n");
        ModelSettings settings = ModelSettings.of(Optional.of(file.toString()), Optional.of(labels.toString()))
                .orElseThrow();
        assertThatThrownBy(() -> ClassifierModel.load(settings)).isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("scores 5 classes and the labels file lists 3");
    }

    @Test
    void shouldLoadTheModelOncePerProcess() throws Exception {
        assertThat(ClassifierModel.shared(model)).isSameAs(ClassifierModel.shared(model));
        ClassifierModel m = ClassifierModel.shared(model);
        assertThat(m.width()).isEqualTo(ColourClassifier.SIDE);
        assertThat(m.height()).isEqualTo(ColourClassifier.SIDE);
        assertThat(m.batchSize()).isEqualTo(ClassifierModel.MAX_BATCH); // dynamic N
    }

    static MediaPipeline.Outcome render(Path input, List<OutputSpec> outputs, ModelSettings settings)
            throws Exception {
        return MediaPipeline.render(input, MediaProbe.probe(input), outputs, Map.of(), TestMedia.newDir(), null,
                settings);
    }

    private static JsonNode describe(MediaPipeline.Outcome outcome) throws Exception {
        return JobEventJson.mapper().readTree(file(output(outcome, "d"), "describe.json").toFile());
    }

    static Path png(int rgb) throws Exception {
        return ColourClassifier.flatPng(TestMedia.newDir(), rgb);
    }

    static Path redThenBlue() throws Exception {
        return ColourClassifier.redThenBlue(TestMedia.newDir());
    }
}
