package dev.framewright.transcoder.oneshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.ImageOutput;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventSerializer;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.Topics;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code max-jobs=1} on the real broker, as a KEDA ScaledJob runs it: each process joins group "transcoder", takes
 * one request, concludes it, commits it and exits 0; the request it did not take is the next process's.
 */
@QuarkusMainTest
@TestProfile(OneShotProfile.OneRecord.class)
class MaxJobsStackTest {

    @BeforeAll
    static void startStack() throws Exception {
        StackFixture.start();
    }

    @AfterAll
    static void stopStack() throws Exception {
        StackFixture.stop();
    }

    @Test
    void eachProcessTakesOneRecordCommitsItAndExitsZero(QuarkusMainLauncher launcher) throws Exception {
        JobRequested first = StackFixture.request(UUID.randomUUID(), "default", List.of(ImageOutput.of("a", 32, null)));
        JobRequested second = StackFixture.request(UUID.randomUUID(), "default", List.of(ImageOutput.of("b", 32, null)));
        publish(first, second);

        LaunchResult one = launcher.launch();

        assertThat(one.exitCode()).as(one.getOutput() + one.getErrorOutput()).isEqualTo(OneShotRun.CONCLUDED);
        assertThat(committed()).as("offsets committed by group transcoder").isEqualTo(1);
        List<JobRequested> done = List.of(first, second).stream()
                .filter(j -> StackFixture.events(j.jobId()).stream().anyMatch(JobCompleted.class::isInstance)).toList();
        assertThat(done).hasSize(1);
        JobRequested left = done.get(0) == first ? second : first;
        assertThat(StackFixture.events(left.jobId())).noneMatch(JobStarted.class::isInstance);

        LaunchResult two = launcher.launch();

        assertThat(two.exitCode()).as(two.getOutput() + two.getErrorOutput()).isEqualTo(OneShotRun.CONCLUDED);
        StackFixture.awaitEvent(left.jobId(), JobCompleted.class);
        assertThat(committed()).isEqualTo(2);
        for (JobRequested j : List.of(first, second)) {
            assertThat(StackFixture.events(j.jobId()).stream().filter(JobStarted.class::isInstance)).hasSize(1);
        }

        // Nothing left for it: a pod KEDA started for lag another pod took exits after max-idle instead of waiting.
        long started = System.nanoTime();
        assertThat(launcher.launch().exitCode()).isEqualTo(OneShotRun.CONCLUDED);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(
                java.time.Duration.ofSeconds(20));
        assertThat(committed()).isEqualTo(2);
    }

    private static void publish(JobRequested... jobs) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, StackFixture.stack.kafkaBootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, JobEvent> producer = new KafkaProducer<>(p, new StringSerializer(),
                new JobEventSerializer())) {
            for (JobRequested job : jobs) {
                producer.send(new ProducerRecord<>(Topics.requests(Topics.DEFAULT_QUEUE), job.jobId().toString(),
                        job)).get();
            }
        }
    }

    /** Records of the default queue's topic group "transcoder" has committed, over all partitions. */
    private static long committed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                StackFixture.stack.kafkaBootstrapServers()))) {
            return admin.listConsumerGroupOffsets("transcoder").partitionsToOffsetAndMetadata().get().entrySet()
                    .stream().filter(e -> e.getKey().topic().equals(Topics.requests(Topics.DEFAULT_QUEUE)))
                    .map(Map.Entry::getValue).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }
}
