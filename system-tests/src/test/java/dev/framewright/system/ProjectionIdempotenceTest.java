package dev.framewright.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.framewright.events.InputObject;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventSerializer;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputResult;
import dev.framewright.events.VideoOutput;
import dev.framewright.events.OutputType;
import dev.framewright.events.Topics;
import dev.framewright.localstack.Infrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The projector's fold through real Kafka into real PostgreSQL: redelivered and stale events change nothing. */
class ProjectionIdempotenceTest extends SystemTest {

    static Infrastructure stack;

    @BeforeAll
    static void useStack() {
        stack = RunningSystem.get().infrastructure();
    }

    @Test
    void shouldLeaveTheReadModelUnchangedWhenEveryEventIsDeliveredTwice() throws Exception {
        UUID jobId = UUID.randomUUID();
        Instant t0 = Instant.now();
        List<JobEvent> events = List.of(
                JobRequested.simple(UUID.randomUUID(), jobId, "default", t0,
                        new InputObject("uploads/" + jobId + "/input", "clip.mp4", "video/mp4", 1234),
                        List.of(VideoOutput.of("small", 640, 360))),
                new JobStarted(UUID.randomUUID(), jobId, "default", 1, t0.plusMillis(100), "test-worker"),
                new JobProgress(UUID.randomUUID(), jobId, "default", 1, t0.plusMillis(200), 40, "transcoding", 1.2, 50, null, null),
                new JobProgress(UUID.randomUUID(), jobId, "default", 1, t0.plusMillis(300), 70, "transcoding", 2.1, 50, null, null));
        JobEvent completed = new JobCompleted(UUID.randomUUID(), jobId, "default", 1, t0.plusMillis(400), null,
                List.of(new OutputResult("small", OutputType.VIDEO,
                        List.of(new OutputFile("video.mp4", "jobs/" + jobId + "/small/video.mp4", 999, "video/mp4")), null)));

        try (KafkaProducer<String, JobEvent> producer = producer()) {
            for (JobEvent e : events) {
                send(producer, e);
            }
            awaitProjectorCaughtUp();
            Map<String, String> running = row(jobId);
            assertThat(running).containsEntry("status", "running").containsEntry("progress_percent", "70");

            // Redeliver everything, plus a stale progress of the same attempt: nothing may move.
            for (JobEvent e : events) {
                send(producer, e);
            }
            send(producer, new JobProgress(UUID.randomUUID(), jobId, "default", 1, t0.plusMillis(350), 10,
                    "transcoding", 0.3, 50, null, null));
            awaitProjectorCaughtUp();
            assertThat(row(jobId)).isEqualTo(running);

            send(producer, completed);
            awaitProjectorCaughtUp();
            Map<String, String> done = row(jobId);
            assertThat(done).containsEntry("status", "succeeded").containsEntry("progress_percent", "100");

            // After a terminal state, replays and late events change nothing either.
            for (JobEvent e : events) {
                send(producer, e);
            }
            send(producer, completed);
            awaitProjectorCaughtUp();
            assertThat(row(jobId)).isEqualTo(done);
        }
    }

    private KafkaProducer<String, JobEvent> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new JobEventSerializer());
    }

    /**
     * Everything goes to the lifecycle topic, the synthetic JobRequested too, so that no transcoder picks this job up;
     * the projector folds both topics alike.
     */
    private static void send(KafkaProducer<String, JobEvent> producer, JobEvent event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.JOB_LIFECYCLE, event.jobId().toString(), event)).get();
    }

    /** The projector has committed every offset of both topics: all it was sent is folded. */
    private static void awaitProjectorCaughtUp() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(Topics.PROJECTOR_GROUP).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(Topics.JOB_LIFECYCLE))
                        .allTopicNames().get().values().stream()
                        .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                        || (committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() == e.getValue().offset()));
            });
        }
    }

    private static Map<String, String> row(UUID jobId) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
                PreparedStatement s = c.prepareStatement("SELECT * FROM jobs WHERE id = ?")) {
            s.setObject(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("row for job %s", jobId).isTrue();
                Map<String, String> row = new java.util.TreeMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    // updated_at is the latest event time folded, stale events included; it is not state.
                    if (!rs.getMetaData().getColumnName(i).equals("updated_at")) {
                        row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                    }
                }
                return row;
            }
        }
    }
}
