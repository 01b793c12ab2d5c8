package dev.framewright.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventDeserializer;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** What an external Kafka consumer sees of one job: the public, versioned event contract on real topics. */
class EventContractTest extends SystemTest {

    @Test
    void shouldPublishAJobsEventsInOrderAsCloudEventsKeyedByJobId() throws Exception {
        Path clip = Media.clip(media, 640, 360, 2);
        String id = Jobs.submit(clip, "video/mp4", """
                {"outputs":[{"name":"copy","type":"video"},{"name":"thumb","type":"image"}]}""")
                .then().statusCode(202).extract().jsonPath().getString("id");
        assertThat(Jobs.awaitTerminal(id).getString("status")).isEqualTo("succeeded");

        List<ConsumerRecord<String, JobEvent>> requests = recordsOf(Topics.JOB_REQUESTS, id, 1);
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.value()).isInstanceOf(JobRequested.class);
            assertCloudEvent(r, "framewright.job.requested.v1", "/framewright/job-api", id);
        });

        List<ConsumerRecord<String, JobEvent>> lifecycle = recordsOf(Topics.JOB_LIFECYCLE, id, 3);
        assertThat(lifecycle).extracting(ConsumerRecord::partition).containsOnly(lifecycle.get(0).partition());
        assertThat(lifecycle.get(0).value()).isInstanceOf(JobStarted.class);
        assertThat(lifecycle.get(lifecycle.size() - 1).value()).isInstanceOf(JobCompleted.class);
        List<JobEvent> middle = lifecycle.subList(1, lifecycle.size() - 1).stream().map(ConsumerRecord::value).toList();
        assertThat(middle).isNotEmpty().allMatch(e -> e instanceof JobProgress);
        assertThat(middle.stream().map(e -> ((JobProgress) e).percent()).toList()).isSorted();
        for (ConsumerRecord<String, JobEvent> r : lifecycle) {
            assertCloudEvent(r, r.value().type(), "/framewright/transcoder", id);
            assertThat(r.value().attempt()).isEqualTo(1);
        }

        JobCompleted completed = (JobCompleted) lifecycle.get(lifecycle.size() - 1).value();
        assertThat(completed.input().width()).isEqualTo(640);
        assertThat(completed.outputs()).extracting(o -> o.name()).containsExactly("copy", "thumb");
        assertThat(completed.outputs().get(0).files()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("video.mp4");
            assertThat(f.key()).isEqualTo("jobs/" + id + "/copy/video.mp4");
            assertThat(f.contentType()).isEqualTo("video/mp4");
            assertThat(f.size()).isPositive();
        });
        assertThat(completed.outputs().get(0).media().durationSeconds()).isBetween(1.9, 2.1);
    }

    private static void assertCloudEvent(ConsumerRecord<String, JobEvent> r, String type, String source, String id) {
        assertThat(r.key()).isEqualTo(id);
        assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(r, "ce_type")).isEqualTo(type);
        assertThat(header(r, "ce_source")).isEqualTo(source);
        assertThat(header(r, "ce_subject")).isEqualTo(id);
        assertThat(header(r, "ce_id")).isEqualTo(r.value().eventId().toString());
        assertThat(header(r, "ce_time")).isNotBlank();
        assertThat(header(r, "content-type")).isEqualTo("application/json");
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Reads the topic from the start as a fresh consumer group, keeping the job's records, until at least {@code min}.
     * Bytes first, decoded after the key matched: other tests put records on these topics that are not job events.
     */
    private static List<ConsumerRecord<String, JobEvent>> recordsOf(String topic, String jobId, int min) {
        Map<String, Object> config = Map.of(
                "bootstrap.servers", RunningSystem.get().infrastructure().kafkaBootstrapServers(),
                "group.id", "contract-test-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest");
        List<ConsumerRecord<String, JobEvent>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer()); JobEventDeserializer events = new JobEventDeserializer()) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int empty = 0;
            while (System.nanoTime() < deadline && (found.size() < min || empty < 3)) {
                var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                records.forEach(r -> {
                    if (jobId.equals(r.key())) {
                        JobEvent event = events.deserialize(r.topic(), r.headers(), r.value());
                        found.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(),
                                r.timestampType(), r.serializedKeySize(), r.serializedValueSize(), r.key(), event,
                                r.headers(), r.leaderEpoch()));
                    }
                });
            }
        }
        return found;
    }
}
