package dev.framewright.transcoder.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.framewright.events.DescribeOutput;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobRequested;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Topics;
import dev.framewright.events.rules.OutputRules;
import dev.framewright.transcoder.media.describe.ColourClassifier;
import dev.framewright.transcoder.storage.MediaBucket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * describe jobs through the worker with the real media pipeline, on the real Kafka and S3 of the local stack: the
 * worker's configured model ({@link ColourClassifier}, an ONNX file this test writes before the app starts) labels
 * a red picture red and follows a video's colour, and the labels come back in JobCompleted and describe.json.
 */
@QuarkusTest
@TestProfile(DescribeStackTest.WithModel.class)
@QuarkusTestResource(value = WorkerStackResource.class, restrictToAnnotatedClass = true)
class DescribeStackTest {

    /** The real pipeline (FakeRenderer excluded) and the test's model as the deployment's describe model. */
    public static class WithModel implements QuarkusTestProfile {
        static final Path MODEL = writeModel();

        private static Path writeModel() {
            try {
                return ColourClassifier.write(Files.createTempDirectory("describe-model"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.arc.exclude-types", "dev.framewright.transcoder.worker.FakeRenderer",
                    OutputRules.DESCRIBE_MODEL, MODEL.toString());
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final List<ConsumerRecord<String, JobEvent>> lifecycle = new CopyOnWriteArrayList<>();
    private static KafkaProducer<String, JobEvent> producer;
    private static TopicRecorder recorder;

    @Inject
    MediaBucket bucket;

    @BeforeAll
    static void startReading() {
        String bootstrap = WorkerStackResource.stack.kafkaBootstrapServers();
        producer = TopicRecorder.producer(bootstrap);
        recorder = TopicRecorder.start(bootstrap, "describe-test", List.of(Topics.JOB_LIFECYCLE), lifecycle::add);
    }

    @AfterAll
    static void stopReading() throws InterruptedException {
        recorder.close();
        producer.close();
    }

    @Test
    void shouldLabelARedImageRedInTheResultAndInDescribeJson() throws Exception {
        Path png = ColourClassifier.flatPng(Files.createTempDirectory("describe-in"), 0xE01010);
        JobRequested job = submit(png, "image/png", List.of(new DescribeOutput("what", 3, null, null)));

        JobEvent end = awaitEnd(job);
        assertThat(end).as("terminal event").isInstanceOf(JobCompleted.class);
        OutputResult result = ((JobCompleted) end).outputs().get(0);
        assertThat(result.labels()).hasSize(3);
        assertThat(result.labels().get(0).label()).isEqualTo("red");
        assertThat(result.labels().get(0).score()).isGreaterThan(0.9);
        assertThat(result.files()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("jobs/" + job.jobId() + "/what/describe.json");
            assertThat(f.contentType()).isEqualTo("application/json");
        });

        JsonNode doc = JobEventJson.mapper().readTree(bucket.read(result.files().get(0).key()).orElseThrow());
        JsonNode sample = doc.get("samples").get(0);
        assertThat(sample.get("labels").get(0).get("label").asText()).isEqualTo("red");
        assertThat(sample.get("labels").get(0).get("score").asDouble()).isGreaterThan(0.9);
    }

    @Test
    void shouldGiveAVideoPerSampleLabelsThatChangeWhenItsColourDoes() throws Exception {
        Path mp4 = ColourClassifier.redThenBlue(Files.createTempDirectory("describe-in"));
        JobRequested job = submit(mp4, "video/mp4", List.of(new DescribeOutput("what", 1, 0.25, null)));

        JobEvent end = awaitEnd(job);
        assertThat(end).as("terminal event").isInstanceOf(JobCompleted.class);
        String key = ((JobCompleted) end).outputs().get(0).files().get(0).key();
        JsonNode doc = JobEventJson.mapper().readTree(bucket.read(key).orElseThrow());
        List<String> labels = new ArrayList<>();
        for (JsonNode s : doc.get("samples")) {
            String label = s.get("labels").get(0).get("label").asText();
            labels.add(label);
            assertThat(label).as("sample at %s", s.get("seconds")).isEqualTo(s.get("seconds").asDouble() < 1
                    ? "red" : "blue");
        }
        assertThat(labels).hasSize(8).containsSubsequence("red", "blue");
    }

    private JobRequested submit(Path file, String contentType, List<OutputSpec> outputs) throws Exception {
        String key = "uploads/default/" + UUID.randomUUID();
        byte[] bytes = Files.readAllBytes(file);
        bucket.write(key, bytes, contentType);
        JobRequested job = new JobRequested(UUID.randomUUID(), UUID.randomUUID(), "default", 0, Instant.now(),
                Topics.DEFAULT_QUEUE, new InputObject(key, file.getFileName().toString(), contentType, bytes.length),
                outputs, Map.of(), null, null, null, false);
        ProducerRecord<String, JobEvent> record = new ProducerRecord<>(Topics.requests("default"),
                job.jobId().toString(), job);
        record.headers().add("test_origin", "describe-test".getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
        return job;
    }

    private static JobEvent awaitEnd(JobRequested job) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (ConsumerRecord<String, JobEvent> r : lifecycle) {
                JobEvent e = r.value();
                if (e != null && e.jobId().equals(job.jobId()) && (e instanceof JobCompleted || e instanceof JobFailed)) {
                    return e;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no terminal event for job " + job.jobId());
    }
}
