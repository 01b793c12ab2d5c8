package dev.framewright.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.Topics;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records that are not job events, on either topic, are skipped: the transcoder and the projector go on. */
class PoisonRecordsTest {

    @TempDir
    static Path media;

    @BeforeAll
    static void system() {
        RunningSystem.get();
    }

    @Test
    void shouldSkipRecordsThatAreNotJobEventsAndKeepProcessingJobs() throws Exception {
        String bootstrap = RunningSystem.get().stack().kafkaBootstrapServers();
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
}
