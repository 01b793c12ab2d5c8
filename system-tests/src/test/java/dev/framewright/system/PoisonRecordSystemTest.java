package dev.framewright.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.framewright.events.InputObject;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventSerializer;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Topics;
import dev.framewright.events.VideoOutput;
import dev.framewright.localstack.Framewright;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Records on a request topic that the projector cannot fold (a label with NUL, which PostgreSQL's jsonb refuses; a
 * value that is not JSON) cost those records only: they are parked, the next ordinary job still reaches
 * {@code succeeded} in the API, and so does one after the projector and the transcoder were restarted on the same
 * data with the projector made to read the bad records again. Nothing is parked twice.
 */
class PoisonRecordSystemTest extends SystemTest {

    private static final String PROJECTOR_GROUP = "status-projector";

    @Test
    void poisonRecordsAreParkedOnceAndOrdinaryJobsSucceedBeforeAndAfterARestart() throws Exception {
        Framewright system = RunningSystem.get();
        String bootstrap = system.infrastructure().kafkaBootstrapServers();

        // On every partition, so whichever partition the next job lands on holds them before it.
        Map<TopicPartition, Long> firstBadOffset = new HashMap<>();
        Set<String> badKeys = new HashSet<>();
        try (KafkaProducer<String, JobEvent> events = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new JobEventSerializer());
                KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                        new StringSerializer(), new ByteArraySerializer())) {
            for (int partition = 0; partition < Topics.DEFAULT_PARTITIONS; partition++) {
                UUID jobId = UUID.randomUUID();
                JobRequested nul = new JobRequested(UUID.randomUUID(), jobId, "default", 0, Instant.now(),
                        Topics.DEFAULT_QUEUE, new InputObject("uploads/default/" + jobId, "clip.mp4", "video/mp4", 10),
                        List.of(VideoOutput.of("small", 320, null)), Map.of("note", "a\u0000b"), null, null, null,
                        false);
                RecordMetadata first = events.send(new ProducerRecord<>(Topics.JOB_REQUESTS, partition,
                        jobId.toString(), nul)).get();
                firstBadOffset.put(new TopicPartition(first.topic(), first.partition()), first.offset());
                badKeys.add(jobId.toString());

                String key = UUID.randomUUID().toString();
                raw.send(new ProducerRecord<>(Topics.JOB_REQUESTS, partition, key,
                        "this is {not json".getBytes(StandardCharsets.UTF_8),
                        List.of(new RecordHeader("ce_type", "framewright.job.requested.v1"
                                .getBytes(StandardCharsets.UTF_8))))).get();
                badKeys.add(key);
            }
        }

        assertThat(submitAndAwait()).isEqualTo("succeeded");
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(parkedCountsByKey(system, badKeys)).containsOnlyKeys(badKeys));
        Map<String, Long> parked = parkedCountsByKey(system, badKeys);
        assertThat(parked.values()).containsOnly(1L);

        // Restart on the same data; the projector reads the bad records again, as when its offsets were not committed.
        system.projector().close();
        system.transcoder().close();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> rewind = firstBadOffset.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
            // Retried until the group is empty (the stopped member has left it).
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                admin.alterConsumerGroupOffsets(PROJECTOR_GROUP, rewind).all().get();
                return true;
            });
        }
        system.startProjector();
        system.startTranscoder(0);

        assertThat(submitAndAwait()).isEqualTo("succeeded");
        // The restarted projector read both bad records of every partition again and went past them.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(PROJECTOR_GROUP)
                        .partitionsToOffsetAndMetadata().get();
                firstBadOffset.forEach((tp, first) -> assertThat(committed.get(tp)).as(tp.toString()).isNotNull()
                        .extracting(OffsetAndMetadata::offset).asInstanceOf(
                                org.assertj.core.api.InstanceOfAssertFactories.LONG).isGreaterThanOrEqualTo(first + 2));
            });
        }
        assertThat(parkedCountsByKey(system, badKeys)).as("parked once, although read twice").isEqualTo(parked);
        given().baseUri(system.projector().baseUrl()).get("/q/health/ready").then().statusCode(200);
    }

    /** An ordinary job through the API; its status as the API shows it when it ended. */
    private static String submitAndAwait() throws Exception {
        Path clip = Media.clip(media, 320, 240, 1);
        String id = Jobs.submit(clip, "video/mp4", """
                {"outputs":[{"name":"still","type":"image"}]}""")
                .then().statusCode(202).extract().jsonPath().getString("id");
        JsonPath done = Jobs.awaitTerminal(id);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        return done.getString("status");
    }

    /** How many parked records of the request topic carry each of the keys (resolved ones included). */
    private static Map<String, Long> parkedCountsByKey(Framewright system, Set<String> keys) {
        List<Map<String, Object>> all = given().baseUri(system.projector().baseUrl())
                .queryParam("limit", 1000).queryParam("all", true)
                .get("/admin/parked").then().statusCode(200).extract().jsonPath().getList("$");
        return all.stream()
                .filter(r -> Topics.JOB_REQUESTS.equals(r.get("topic")) && keys.contains(String.valueOf(r.get("key"))))
                .collect(Collectors.groupingBy(r -> String.valueOf(r.get("key")), Collectors.counting()));
    }
}
