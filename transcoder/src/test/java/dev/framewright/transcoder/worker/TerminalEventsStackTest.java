package dev.framewright.transcoder.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.FailureCode;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobCanceled;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputManifest;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Topics;
import dev.framewright.events.VideoOutput;
import dev.framewright.transcoder.storage.ControlStore;
import dev.framewright.transcoder.storage.MediaBucket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Terminal events on the real Kafka and S3 of the local stack: a job with more files than fit in one default Kafka
 * record, an event the producer refuses (this class's lifecycle producer takes records of at most 64 KiB), and two
 * deliveries of one request racing each other.
 */
@QuarkusTest
@TestProfile(TerminalEventsStackTest.SmallRecords.class)
@QuarkusTestResource(value = WorkerStackResource.class, restrictToAnnotatedClass = true)
class TerminalEventsStackTest {

    /** The lifecycle producer refuses records over 64 KiB, far below the contract's bound on terminal events. */
    public static class SmallRecords implements QuarkusTestProfile {
        static final int MAX_REQUEST_SIZE = 64 * 1024;

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.outgoing.job-lifecycle.max.request.size", Integer.toString(MAX_REQUEST_SIZE),
                    "framewright.transcoder.attempt-lease", "3s");
        }
    }

    /** The producers' and brokers' default record limit. */
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final List<ConsumerRecord<String, JobEvent>> lifecycle = new CopyOnWriteArrayList<>();
    private static KafkaProducer<String, JobEvent> producer;
    private static TopicRecorder recorder;

    @Inject
    MediaBucket bucket;

    @Inject
    ControlStore control;

    @Inject
    JobWorker worker;

    @BeforeAll
    static void startReading() {
        String bootstrap = WorkerStackResource.stack.kafkaBootstrapServers();
        producer = TopicRecorder.producer(bootstrap);
        recorder = TopicRecorder.start(bootstrap, "terminal-test", List.of(Topics.JOB_LIFECYCLE),
                lifecycle::add);
    }

    @AfterAll
    static void stopReading() throws InterruptedException {
        recorder.close();
        producer.close();
    }

    @Test
    void aJobWithMoreFilesThanOneRecordHoldsListsThemInAManifestAndTheEventStaysSmall() throws Exception {
        int stills = 6500;
        String name = "files" + stills;
        JobRequested job = prepare(UUID.randomUUID(), List.of(VideoOutput.of(name, 640, null)));
        long started = System.nanoTime();
        RecordMetadata sent = publish(job);
        JobCompleted done = await(job, JobCompleted.class);
        System.out.printf("LARGE-RESULT %d files: request to JobCompleted %d ms%n", stills + 2,
                Duration.ofNanos(System.nanoTime() - started).toMillis());

        OutputResult result = done.outputs().get(0);
        String key = OutputManifest.key(job.jobId(), name);
        assertThat(result.fileCount()).isEqualTo(stills + 2);
        assertThat(result.manifest()).isEqualTo(key);
        assertThat(result.files()).extracting(OutputFile::path).contains("thumbnails.vtt", "sprite.jpg",
                "frames/thumbnail-000001.jpg").hasSizeLessThan(20);
        int eventBytes = JobEventJson.write(done).length;
        OutputManifest manifest = JobEventJson.mapper().readValue(bucket.read(key).orElseThrow(),
                OutputManifest.class);
        int fullListBytes = JobEventJson.size(manifest.files());
        System.out.printf("LARGE-RESULT JobCompleted %d bytes; the full list %d bytes%n", eventBytes, fullListBytes);
        assertThat(fullListBytes).as("the list alone exceeds one default Kafka record")
                .isGreaterThan(DEFAULT_MAX_REQUEST_SIZE);
        assertThat(eventBytes).isLessThan(SmallRecords.MAX_REQUEST_SIZE);

        // The manifest lists every file, each stored under its key.
        assertThat(manifest.jobId()).isEqualTo(job.jobId());
        assertThat(manifest.files()).hasSize(stills + 2);
        assertThat(manifest.files()).containsAll(result.files());
        assertThat(new HashSet<>(bucket.list("jobs/" + job.jobId() + "/" + name + "/")))
                .containsAll(manifest.files().stream().map(OutputFile::key).toList())
                .contains(key);
        assertThat(new String(bucket.read(manifest.files().get(stills + 1).key()).orElseThrow(),
                StandardCharsets.UTF_8)).isEqualTo("still " + stills);
        awaitCommitted(sent);

        JobRequested next = submit(List.of(VideoOutput.of("instant", 640, null)));
        await(next, JobCompleted.class);
    }

    @Test
    void aTerminalEventTheBrokerRefusesBecomesASmallJobFailedAndTheRequestIsAcknowledged() throws Exception {
        // Seven outputs of 82 files each: every list fits the contract's per-output bound, the event does not fit
        // this producer's 64 KiB.
        List<OutputSpec> outputs = new ArrayList<>();
        for (char c = 'a'; c <= 'g'; c++) {
            outputs.add(VideoOutput.of("files80" + c, 640, null));
        }
        JobRequested job = prepare(UUID.randomUUID(), outputs);
        RecordMetadata sent = publish(job);
        JobFailed failed = await(job, JobFailed.class);
        assertThat(failed.code()).isEqualTo(FailureCode.OUTPUT_TOO_LARGE.wireName());
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(JobEventJson.write(failed).length).isLessThan(2048);
        assertThat(terminals(job)).hasSize(1);
        ControlStore.Attempts attempts = awaitConcluded(job.jobId());
        assertThat(attempts.concludedAttempt()).isEqualTo(1);
        assertThat(control.answer(job.jobId(), 0)).get().extracting(JobEvent::eventId).isEqualTo(failed.eventId());
        awaitCommitted(sent);

        JobRequested next = submit(List.of(VideoOutput.of("instant", 640, null)));
        await(next, JobCompleted.class);
    }

    @Test
    void twoDeliveriesOfOneRequestStartingTogetherRunOneAttemptAndAnswerOnce() throws Exception {
        for (int round = 0; round < 3; round++) {
            JobRequested job = prepare(UUID.randomUUID(), List.of(VideoOutput.of("ok", 640, null)));
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<JobWorker.Delivery>> deliveries = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                deliveries.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return worker.handle(job, null);
                }));
            }
            go.countDown();
            assertOneRunOneAnswer(job, deliveries);
        }
    }

    @Test
    void aSecondDeliveryWhileTheFirstRunsWaitsForItsAnswerInsteadOfRunningAgain() throws Exception {
        JobRequested job = prepare(UUID.randomUUID(), List.of(VideoOutput.of("ok", 640, null)));
        CompletableFuture<JobWorker.Delivery> first = CompletableFuture.supplyAsync(() -> worker.handle(job, null));
        await(job, JobStarted.class);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (control.attempts(job.jobId()).unfinished() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // the attempt is recorded: what a worker taking over after a rebalance reads
        }
        CompletableFuture<JobWorker.Delivery> second = CompletableFuture.supplyAsync(() -> worker.handle(job, null));
        assertOneRunOneAnswer(job, List.of(first, second));
    }

    private void assertOneRunOneAnswer(JobRequested job, List<CompletableFuture<JobWorker.Delivery>> deliveries)
            throws Exception {
        for (CompletableFuture<JobWorker.Delivery> d : deliveries) {
            assertThat(d.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(JobWorker.Delivery.ACK);
        }
        JobCompleted done = await(job, JobCompleted.class);
        Thread.sleep(500);
        List<JobEvent> events = events(job);
        assertThat(events.stream().filter(JobStarted.class::isInstance).map(JobEvent::attempt))
                .as("one JobStarted, for attempt 1").containsExactly(1);
        assertThat(terminals(job).stream().map(JobEvent::eventId).collect(Collectors.toSet()))
                .as("one answer (a republished one keeps its id)").containsExactly(done.eventId());
        ControlStore.Attempts attempts = control.attempts(job.jobId());
        assertThat(attempts.attempts()).isEqualTo(1);
        assertThat(attempts.unfinished()).isZero();
        assertThat(attempts.concludedAttempt()).isEqualTo(1);
    }

    // --- helpers

    private ControlStore.Attempts awaitConcluded(UUID jobId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ControlStore.Attempts attempts = control.attempts(jobId);
        while ((attempts.concludedAttempt() == null || attempts.pendingTerminal() != null)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            attempts = control.attempts(jobId);
        }
        return attempts;
    }

    /** The transcoder group's committed offset moves past the request: it was acknowledged, not held. */
    private static void awaitCommitted(RecordMetadata sent) throws Exception {
        TopicPartition tp = new TopicPartition(sent.topic(), sent.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                WorkerStackResource.stack.kafkaBootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long committed = -1;
            while (System.nanoTime() < deadline) {
                OffsetAndMetadata o = admin.listConsumerGroupOffsets(Topics.TRANSCODER_GROUP)
                        .partitionsToOffsetAndMetadata().get().get(tp);
                committed = o == null ? -1 : o.offset();
                if (committed > sent.offset()) {
                    return;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("offset " + sent.offset() + " of " + tp + " was not committed (at " + committed
                    + ")");
        }
    }

    private JobRequested submit(List<OutputSpec> outputs) throws Exception {
        JobRequested job = prepare(UUID.randomUUID(), outputs);
        publish(job);
        return job;
    }

    private JobRequested prepare(UUID jobId, List<OutputSpec> outputs) throws Exception {
        String key = "uploads/default/" + UUID.randomUUID();
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        bucket.write(key, png.toByteArray(), "image/png");
        return new JobRequested(UUID.randomUUID(), jobId, "default", 0, Instant.now(), Topics.DEFAULT_QUEUE,
                new InputObject(key, "in.png", "image/png", png.size()), outputs, Map.of(), null, null, null, false);
    }

    private static RecordMetadata publish(JobRequested job) throws Exception {
        return producer.send(new ProducerRecord<>(Topics.requests("default"), job.jobId().toString(), job)).get();
    }

    private static List<JobEvent> events(JobRequested job) {
        List<JobEvent> out = new ArrayList<>();
        for (ConsumerRecord<String, JobEvent> r : lifecycle) {
            if (r.value() != null && r.value().jobId().equals(job.jobId())) {
                out.add(r.value());
            }
        }
        return out;
    }

    private static List<JobEvent> terminals(JobRequested job) {
        return events(job).stream().filter(e -> e instanceof JobCompleted || e instanceof JobFailed
                || e instanceof JobCanceled).toList();
    }

    private static <T extends JobEvent> T await(JobRequested job, Class<T> type) throws InterruptedException {
        Predicate<JobEvent> match = type::isInstance;
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (JobEvent e : events(job)) {
                if (match.test(e)) {
                    return type.cast(e);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + type.getSimpleName() + " for job " + job.jobId() + "; got " + events(job));
    }
}
