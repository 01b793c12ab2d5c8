package dev.framewright.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.framewright.events.InputObject;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventSerializer;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Topics;
import dev.framewright.events.VideoOutput;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Bad records reach the workers too: they are skipped or answered with a code, and the workers go on. */
class BadRecordsTest extends SystemTest {

    @Test
    void shouldSkipRecordsThatAreNotJobEventsAndKeepProcessingJobs() throws Exception {
        String bootstrap = RunningSystem.get().infrastructure().kafkaBootstrapServers();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            for (String topic : List.of(Topics.JOB_REQUESTS, Topics.JOB_LIFECYCLE)) {
                // Every partition gets garbage, so whichever partition the next job lands on has it first.
                for (int partition = 0; partition < Topics.DEFAULT_PARTITIONS; partition++) {
                    String key = UUID.randomUUID().toString();
                    producer.send(new ProducerRecord<>(topic, partition, key,
                            "no headers, not JSON".getBytes(StandardCharsets.UTF_8))).get();
                    producer.send(new ProducerRecord<>(topic, partition, key, "{\"jobId\":".getBytes(StandardCharsets.UTF_8),
                            List.of(new RecordHeader("ce_type", "framewright.job.requested.v1".getBytes(StandardCharsets.UTF_8))))).get();
                    producer.send(new ProducerRecord<>(topic, partition, key, "{}".getBytes(StandardCharsets.UTF_8),
                            List.of(new RecordHeader("ce_type", "framewright.job.teleported.v7".getBytes(StandardCharsets.UTF_8))))).get();
                }
            }
        }

        Path clip = Media.clip(media, 320, 240, 1);
        String id = Jobs.submit(clip, "video/mp4", """
                {"outputs":[{"name":"still","type":"image"}]}""")
                .then().statusCode(202).extract().jsonPath().getString("id");
        JsonPath done = Jobs.awaitTerminal(id);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
    }

    @Test
    void shouldFailARequestWhoseInputIsGoneWithInputMissing() throws Exception {
        UUID jobId = UUID.randomUUID();
        JobRequested orphan = JobRequested.simple(UUID.randomUUID(), jobId, "default", Instant.now(),
                new InputObject("uploads/" + jobId + "/input", "gone.mp4", "video/mp4", 10),
                List.of(VideoOutput.of("small", 320, null)));
        try (KafkaProducer<String, JobEvent> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", RunningSystem.get().infrastructure().kafkaBootstrapServers()),
                new StringSerializer(), new JobEventSerializer())) {
            producer.send(new ProducerRecord<>(Topics.JOB_REQUESTS, jobId.toString(), orphan)).get();
        }

        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> given().when().get("/v1/jobs/{id}", jobId)
                .then().statusCode(200).body("status", equalTo("failed")).body("error.code", equalTo("input_missing")));
    }
}
