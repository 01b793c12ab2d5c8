package dev.framewright.transcoder.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.framewright.events.rules.ObjectKeys;
import dev.framewright.events.FailureCode;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobCanceled;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Overlay;
import dev.framewright.events.Topics;
import dev.framewright.events.VideoOutput;
import dev.framewright.transcoder.redrive.DeadLetterRedrive;
import dev.framewright.transcoder.storage.ControlStore;
import dev.framewright.transcoder.storage.MediaBucket;
import dev.framewright.transcoder.storage.StorageConfig;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The worker on real Kafka and S3 (the local stack), with {@link FakeRenderer} in place of the media pipeline:
 * lifecycle events as a consumer sees them, control objects, outputs, dead letters.
 */
@QuarkusTest
@QuarkusTestResource(value = WorkerStackResource.class, restrictToAnnotatedClass = true)
class JobWorkerStackTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<ConsumerRecord<String, JobEvent>> lifecycle = new CopyOnWriteArrayList<>();
    private static final List<ConsumerRecord<String, JobEvent>> deadLetters = new CopyOnWriteArrayList<>();
    private static KafkaProducer<String, JobEvent> producer;
    private static TopicRecorder recorder;

    @Inject
    MediaBucket bucket;

    @Inject
    ControlStore control;

    @Inject
    S3Client s3;

    @Inject
    StorageConfig storage;

    @BeforeAll
    static void startReading() {
        String bootstrap = WorkerStackResource.stack.kafkaBootstrapServers();
        producer = TopicRecorder.producer(bootstrap);
        recorder = TopicRecorder.start(bootstrap, "worker-test", List.of(Topics.JOB_LIFECYCLE, Topics.DEAD_LETTER),
                r -> (r.topic().equals(Topics.DEAD_LETTER) ? deadLetters : lifecycle).add(r));
    }

    @AfterAll
    static void stopReading() throws InterruptedException {
        recorder.close();
        producer.close();
    }

    @Test
    void completesUploadsEveryFileAndReportsProgressInOrder() throws Exception {
        JobRequested job = submit(List.of(VideoOutput.of("ok", 640, null)), null);
        JobCompleted done = await(job, JobCompleted.class);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.outputs()).singleElement().satisfies(o -> {
            assertThat(o.name()).isEqualTo("ok");
            assertThat(o.files()).singleElement().satisfies(f -> {
                assertThat(f.key()).isEqualTo("jobs/" + job.jobId() + "/ok/video.mp4");
                assertThat(f.contentType()).isEqualTo("video/mp4");
            });
        });
        assertThat(new String(bucket.read("jobs/" + job.jobId() + "/ok/video.mp4").orElseThrow(),
                StandardCharsets.UTF_8)).isEqualTo("rendered ok");
        List<JobEvent> events = events(job);
        assertThat(events.get(0)).isInstanceOf(JobStarted.class);
        List<JobProgress> progress = events.stream().filter(JobProgress.class::isInstance)
                .map(JobProgress.class::cast).toList();
        assertThat(progress).extracting(JobProgress::stage).contains("downloading", "probing", "transcoding",
                "uploading");
        assertThat(progress.stream().filter(p -> p.stage().equals("transcoding"))).isNotEmpty();
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i).percent()).isGreaterThanOrEqualTo(progress.get(i - 1).percent());
        }
        assertThat(terminals(job)).hasSize(1);
        ControlStore.Attempts attempts = awaitConcluded(job.jobId());
        assertThat(attempts.attempts()).isEqualTo(1);
        assertThat(attempts.unfinished()).isZero();
        assertThat(attempts.lastWorker()).isEqualTo("test-worker");
    }

    @Test
    void aRequestRedeliveredAfterItsTerminalEventIsNotRunAgain() throws Exception {
        JobRequested job = submit(List.of(VideoOutput.of("ok", 640, null)), null);
        await(job, JobCompleted.class);
        // What a restarted worker sees when its predecessor died between the terminal event and the offset commit.
        producer.send(new ProducerRecord<>(Topics.requests("default"), job.jobId().toString(), (JobEvent) job)).get();
        JobRequested marker = submit(List.of(VideoOutput.of("ok", 640, null)), null);
        await(marker, JobCompleted.class); // the same partition order is not guaranteed; give the worker time anyway
        Thread.sleep(2000);
        assertThat(terminals(job)).hasSize(1);
        assertThat(events(job).stream().filter(e -> e instanceof JobStarted)).hasSize(1);
        assertThat(control.attempts(job.jobId()).concludedAttempt()).isEqualTo(1);
    }

    @Test
    void aTerminalEventLeftPendingByADeadWorkerIsPublishedAgainInsteadOfRerunningTheJob() throws Exception {
        UUID jobId = UUID.randomUUID();
        JobCompleted left = new JobCompleted(UUID.randomUUID(), jobId, "default", 1, Instant.now(), null, List.of());
        control.writeAttempts(jobId, new ControlStore.Attempts(1, 1, "dead-worker", Instant.now(), null, null)
                .concluding(left));
        JobRequested job = submit(jobId, List.of(VideoOutput.of("ok", 640, null)), null);
        JobCompleted published = await(job, JobCompleted.class);
        assertThat(published.eventId()).as("the same event, not a new run").isEqualTo(left.eventId());
        Thread.sleep(1000);
        assertThat(events(job).stream().filter(e -> e instanceof JobStarted)).isEmpty();
        assertThat(control.attempts(jobId).concludedAttempt()).isEqualTo(1);
        assertThat(control.attempts(jobId).pendingTerminal()).isNull();
    }

    @Test
    void cancelMidRunStopsTheAttemptDeletesOutputsAndEmitsOneJobCanceled() throws Exception {
        JobRequested job = submit(List.of(VideoOutput.of("slow", 640, null)), null);
        await(job, JobStarted.class);
        awaitEvent(job, e -> e instanceof JobProgress p && p.stage().equals("transcoding"));
        // An output an earlier attempt left behind: a cancel removes it too.
        bucket.write("jobs/" + job.jobId() + "/slow/video.mp4", new byte[] {1, 2, 3}, "video/mp4");
        long asked = System.nanoTime();
        bucket.write(ObjectKeys.cancel(job.jobId()),
                ("{\"requestedAt\":\"" + Instant.now() + "\",\"terminalEmitted\":false}").getBytes(), "application/json");
        JobCanceled canceled = await(job, JobCanceled.class);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(10));
        assertThat(canceled.attempt()).isEqualTo(1);
        assertThat(bucket.list("jobs/" + job.jobId() + "/")).allMatch(k -> k.contains("/_control/"));
        Thread.sleep(1000);
        assertThat(terminals(job)).hasSize(1);
    }

    @Test
    void aJobCanceledWhileQueuedIsSkippedSilently() throws Exception {
        UUID jobId = UUID.randomUUID();
        // Requested, then canceled (a cancel applies to the requests made up to it).
        JobRequested job = prepare(jobId, List.of(VideoOutput.of("ok", 640, null)), null);
        bucket.write(ObjectKeys.cancel(jobId),
                ("{\"requestedAt\":\"" + job.time() + "\",\"terminalEmitted\":true}").getBytes(), "application/json");
        publish(job);
        // A job submitted after it completes, so the worker is consuming; the canceled one must have produced nothing.
        JobRequested after = submit(List.of(VideoOutput.of("ok", 640, null)), null);
        await(after, JobCompleted.class);
        Thread.sleep(1000);
        assertThat(events(job)).isEmpty(); // no JobStarted, no second JobCanceled
        assertThat(control.attempts(jobId).attempts()).isZero();
    }

    @Test
    void aJobCanceledBeforeItStartsGetsOneJobCanceledAndNeverStarts() throws Exception {
        UUID jobId = UUID.randomUUID();
        JobRequested job = prepare(jobId, List.of(VideoOutput.of("ok", 640, null)), null);
        bucket.write(ObjectKeys.cancel(jobId),
                ("{\"requestedAt\":\"" + Instant.now() + "\",\"terminalEmitted\":false}").getBytes(), "application/json");
        bucket.write("jobs/" + jobId + "/ok/video.mp4", new byte[] {1, 2, 3}, "video/mp4"); // left by someone
        publish(job);
        JobCanceled canceled = await(job, JobCanceled.class);
        assertThat(canceled.attempt()).isEqualTo(1);
        Thread.sleep(1000);
        assertThat(events(job)).containsExactly(canceled); // never started
        assertThat(FakeRenderer.renderStarts).doesNotContainKey(jobId.toString());
        assertThat(bucket.list("jobs/" + jobId + "/")).allMatch(k -> k.contains("/_control/"));
        ControlStore.Attempts attempts = awaitConcluded(jobId);
        assertThat(attempts.concludedAttempt()).isEqualTo(1);
        assertThat(attempts.unfinished()).isZero();
    }

    /**
     * A worker that died after publishing JobStarted but before its attempt was recorded: the redelivery starts the
     * same attempt number and publishes JobStarted with the same id, which consumers drop as a duplicate.
     */
    @Test
    void aJobStartedWhoseAttemptWasNeverRecordedIsRepeatedWithTheSameId() throws Exception {
        UUID jobId = UUID.randomUUID();
        JobStarted orphan = new JobStarted(JobWorker.startedEventId(jobId, 1), jobId, "default", 1, Instant.now(),
                "dead-worker");
        producer.send(new ProducerRecord<>(Topics.JOB_LIFECYCLE, jobId.toString(), (JobEvent) orphan)).get();
        JobRequested job = submit(jobId, List.of(VideoOutput.of("instant", 640, null)), null);
        JobCompleted done = await(job, JobCompleted.class);
        assertThat(done.attempt()).isEqualTo(1);
        List<JobStarted> started = events(job).stream().filter(JobStarted.class::isInstance)
                .map(JobStarted.class::cast).toList();
        assertThat(started).hasSize(2).extracting(JobStarted::eventId).containsOnly(orphan.eventId());
        assertThat(started).extracting(JobStarted::worker).containsExactly("dead-worker", "test-worker");
        assertThat(terminals(job)).hasSize(1);
        assertThat(awaitConcluded(jobId).attempts()).isEqualTo(1);
    }

    @Test
    void timeoutFailsTheAttemptWithoutRetrying() throws Exception {
        JobRequested job = submit(List.of(VideoOutput.of("slow", 640, null)), 3);
        JobFailed failed = await(job, JobFailed.class);
        assertThat(failed.code()).isEqualTo("timeout");
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(events(job).stream().filter(JobStarted.class::isInstance)).hasSize(1);
        assertThat(deadLetters(job)).isEmpty();
    }

    @Test
    void aStalledPipelineIsRetriedThenFailedAndDeadLettered() throws Exception {
        JobRequested job = submit(List.of(VideoOutput.of("stall", 640, null)), null);
        JobFailed failed = await(job, JobFailed.class);
        assertThat(failed.code()).isEqualTo("stalled");
        assertThat(failed.attempt()).isEqualTo(2);
        assertThat(events(job).stream().filter(JobStarted.class::isInstance).map(JobEvent::attempt))
                .containsExactly(1, 2);
        ConsumerRecord<String, JobEvent> dl = awaitDeadLetter(job);
        assertThat(dl.key()).isEqualTo(job.jobId().toString());
        assertThat(header(dl, "framewright_dlq_reason")).isEqualTo("stalled");
        assertThat(header(dl, "framewright_dlq_attempts")).isEqualTo("2");
        assertThat(header(dl, "framewright_dlq_source_topic")).isEqualTo(Topics.requests("default"));
        assertThat(header(dl, "framewright_dlq_worker")).isEqualTo("test-worker");
        assertThat(header(dl, "framewright_dlq_message")).isNotBlank();
        assertThat(header(dl, "test_origin")).isEqualTo("worker-test"); // original headers are kept
        assertThat(((JobRequested) dl.value()).jobId()).isEqualTo(job.jobId());
    }

    @Test
    void storageOutagesAreRetriedAsNewAttempts() throws Exception {
        JobRequested job = submit(List.of(VideoOutput.of("flaky", 640, null)), null);
        JobFailed failed = await(job, JobFailed.class);
        assertThat(failed.code()).isEqualTo("storage_unavailable");
        assertThat(failed.attempt()).isEqualTo(2);
        assertThat(header(awaitDeadLetter(job), "framewright_dlq_reason")).isEqualTo("storage_unavailable");
    }

    @Test
    void crashLoopingJobIsQuarantinedAndRedriveGivesItItsAttemptsBack() throws Exception {
        UUID jobId = UUID.randomUUID();
        // Two workers died on it (max-attempts is 2 here): attempts started, never ended.
        control.writeAttempts(jobId, new ControlStore.Attempts(2, 2, "crashed-worker", Instant.now(), null, null));
        JobRequested job = submit(jobId, List.of(VideoOutput.of("ok", 640, null)), null);
        JobFailed failed = await(job, JobFailed.class);
        assertThat(failed.code()).isEqualTo("quarantined");
        assertThat(events(job).stream().filter(JobStarted.class::isInstance)).isEmpty();
        assertThat(header(awaitDeadLetter(job), "framewright_dlq_reason")).isEqualTo("quarantined");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = DeadLetterRedrive.redrive(WorkerStackResource.stack.serviceEnvironment(), Optional.of(jobId),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(n).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(1);
        JobCompleted done = await(job, JobCompleted.class);
        assertThat(done.attempt()).isEqualTo(3); // numbering goes on after the two crashed attempts
        ControlStore.Attempts attempts = awaitConcluded(jobId);
        assertThat(attempts.unfinished()).isZero();
        assertThat(attempts.concludedAttempt()).isEqualTo(3);
    }

    /**
     * Tiny jobs one at a time, as the bench's "pickup" section runs them: every delivery is one attempt, started once,
     * recorded once, concluded once. Also prints the pickup figures (from the request's ack to JobStarted's time,
     * and to the renderer's start); on a shared machine they are noisy, so they are reported, not asserted.
     */
    @Test
    void tinyJobsOneAtATimeStartOnceEachAndReportPickup() throws Exception {
        List<Double> toStarted = new ArrayList<>();
        List<Double> toRender = new ArrayList<>();
        int warmUp = 5;
        for (int i = 0; i < warmUp + 40; i++) {
            JobRequested job = prepare(UUID.randomUUID(), List.of(VideoOutput.of("instant", 640, null)), null);
            publish(job);
            Instant acked = Instant.now();
            JobCompleted done = await(job, JobCompleted.class, 5);
            assertThat(done.attempt()).isEqualTo(1);
            List<JobEvent> events = events(job);
            List<JobEvent> started = events.stream().filter(JobStarted.class::isInstance).toList();
            assertThat(started).singleElement().extracting(JobEvent::attempt).isEqualTo(1);
            assertThat(events.get(0)).isInstanceOf(JobStarted.class);
            assertThat(terminals(job)).hasSize(1);
            ControlStore.Attempts attempts = awaitConcluded(job.jobId());
            assertThat(attempts.attempts()).isEqualTo(1);
            assertThat(attempts.unfinished()).isZero();
            assertThat(attempts.concludedAttempt()).isEqualTo(1);
            Instant rendered = FakeRenderer.renderStarts.get(job.jobId().toString());
            assertThat(rendered).isAfterOrEqualTo(started.get(0).time());
            // JobStarted and the attempt's record go out together; the media is opened only once both are done.
            ControlStore.Attempts atRender = FakeRenderer.attemptsAtRender.get(job.jobId().toString());
            assertThat(atRender.attempts()).isEqualTo(1);
            assertThat(atRender.unfinished()).isEqualTo(1);
            assertThat(atRender.lastWorker()).isEqualTo("test-worker");
            if (i >= warmUp) {
                toStarted.add(Duration.between(acked, started.get(0).time()).toNanos() / 1e6);
                toRender.add(Duration.between(acked, rendered).toNanos() / 1e6);
            }
        }
        System.out.printf("PICKUP ack->JobStarted.time ms: %s; ack->render start ms: %s%n", summary(toStarted),
                summary(toRender));
    }

    private static String summary(List<Double> ms) {
        List<Double> sorted = ms.stream().sorted().toList();
        return String.format(java.util.Locale.ROOT, "n=%d p50=%.1f p90=%.1f p99=%.1f max=%.1f", sorted.size(),
                pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.get(sorted.size() - 1));
    }

    /** Nearest-rank percentile. */
    private static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    // --- helpers

    /** The attempt is marked concluded just after its terminal event is out: a reader of the event may be first. */
    @Test
    void aJobPastItsStartDeadlineFailsUnstartedWithoutReadingItsInput() throws Exception {
        UUID jobId = UUID.randomUUID();
        JobRequested prepared = prepare(jobId, List.of(VideoOutput.of("ok", 640, null)), null);
        // The input is gone too: a worker that read anything would fail input_missing instead.
        String inputKey = prepared.input().key();
        s3.deleteObject(b -> b.bucket(storage.bucket()).key(inputKey));
        Instant submitted = Instant.now().minusSeconds(120);
        JobRequested job = new JobRequested(UUID.randomUUID(), jobId, prepared.tenant(), 0, submitted,
                prepared.queue(), prepared.input(), prepared.outputs(), Map.of(), null, null, null, false,
                submitted.plusSeconds(60));
        publish(job);
        JobFailed failed = await(job, JobFailed.class);
        assertThat(failed.code()).isEqualTo(FailureCode.START_DEADLINE_EXCEEDED.wireName())
                .isEqualTo("start_deadline_exceeded");
        assertThat(failed.message()).contains(job.startDeadline().toString());
        Thread.sleep(1000);
        assertThat(events(job)).containsExactly(failed); // never started
        assertThat(FakeRenderer.renderStarts).doesNotContainKey(jobId.toString());
        // Concluded under the number the event carries (numbers never repeat), but no attempt was run or claimed.
        ControlStore.Attempts attempts = awaitConcluded(jobId);
        assertThat(attempts.concludedAttempt()).isEqualTo(failed.attempt()).isEqualTo(1);
        assertThat(attempts.unfinished()).isZero();
        assertThat(attempts.lastStartedAt()).isNull();
        assertThat(attempts.lastWorker()).isNull();
        assertThat(bucket.list("jobs/" + jobId + "/")).noneMatch(k -> k.contains("attempt-"));
        assertThat(deadLetters(job)).isEmpty();

        // A deadline still ahead does not stop a job.
        JobRequested ahead = prepare(UUID.randomUUID(), List.of(VideoOutput.of("ok", 640, null)), null);
        JobRequested inTime = new JobRequested(UUID.randomUUID(), ahead.jobId(), ahead.tenant(), 0, ahead.time(),
                ahead.queue(), ahead.input(), ahead.outputs(), Map.of(), null, null, null, false,
                Instant.now().plusSeconds(600));
        publish(inTime);
        assertThat(await(inTime, JobCompleted.class).attempt()).isEqualTo(1);
    }

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

    @Test
    void anInputOverwrittenAfterAcceptanceFailsInputChangedAndIsNeverRendered() throws Exception {
        JobRequested accepted = prepare(UUID.randomUUID(), List.of(VideoOutput.of("ok", 640, null)), null);
        String key = accepted.input().key();
        String etag = s3.headObject(b -> b.bucket(storage.bucket()).key(key)).eTag();
        JobRequested job = withInput(accepted, new InputObject(key, "in.png", "image/png", accepted.input().size(),
                etag));
        // The tenant PUTs another picture to the same key after the job was accepted.
        bucket.write(key, png(640, 480), "image/png");
        publish(job);
        JobFailed failed = await(job, JobFailed.class);
        assertThat(failed.code()).isEqualTo("input_changed");
        assertThat(FakeRenderer.renderStarts).doesNotContainKey(job.jobId().toString());
    }

    @Test
    void theStoreRefusesAGetWhoseIfMatchIsStaleAndADownloadReadsNoMoreThanItsCap() throws Exception {
        String key = "uploads/default/" + UUID.randomUUID();
        bucket.write(key, new byte[1000], "application/octet-stream");
        // S3Proxy answers a stale If-Match with 412, as S3 does.
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(storage.bucket()).key(key).ifMatch("\"0123\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        Path target = Files.createTempFile("download", ".bin");
        try {
            assertThat(bucket.download(key, target, "\"0123\"", 1000)).isEqualTo(MediaBucket.Download.CHANGED);
            String etag = s3.headObject(b -> b.bucket(storage.bucket()).key(key)).eTag();
            assertThat(bucket.download(key, target, etag, 1000)).isEqualTo(MediaBucket.Download.DONE);
            assertThat(Files.size(target)).isEqualTo(1000);
            assertThat(bucket.download(key, target, null, 999)).isEqualTo(MediaBucket.Download.TOO_LARGE);
            assertThat(target).doesNotExist();
            assertThat(bucket.download(key + "-gone", target, null, 999)).isEqualTo(MediaBucket.Download.MISSING);
        } finally {
            Files.deleteIfExists(target);
        }
    }

    @Test
    void anOverlayImageDeclaringAHugeCanvasIsRefusedBeforeItIsDecoded() throws Exception {
        String overlayKey = "uploads/default/" + UUID.randomUUID();
        bucket.write(overlayKey, pngHeader(100_000, 100_000), "image/png");
        Overlay overlay = new Overlay(overlayKey, Overlay.Position.TOP_LEFT, null, null, null, null, null, null, null);
        VideoOutput branded = new VideoOutput("ok", null, 640, null, null, null, null, null, null, null, overlay);
        JobRequested job = submit(List.of(branded), null);
        JobFailed failed = await(job, JobFailed.class);
        assertThat(failed.code()).isEqualTo("limits_exceeded");
        assertThat(failed.message()).contains("100000x100000");
        assertThat(FakeRenderer.renderStarts).doesNotContainKey(job.jobId().toString());
    }

    @Test
    void aCancelWrittenBeforeARetryWasRequestedDoesNotStopTheRetry() throws Exception {
        UUID jobId = UUID.randomUUID();
        Instant canceledAt = Instant.now();
        bucket.write(ObjectKeys.cancel(jobId),
                ("{\"requestedAt\":\"" + canceledAt + "\",\"terminalEmitted\":true}").getBytes(), "application/json");
        JobRequested prepared = prepare(jobId, List.of(VideoOutput.of("ok", 640, null)), null);
        JobRequested retry = new JobRequested(UUID.randomUUID(), jobId, prepared.tenant(), 0,
                canceledAt.plusMillis(1), prepared.queue(), prepared.input(), prepared.outputs(), Map.of(), null, null,
                null, true);
        publish(retry);
        assertThat(await(retry, JobCompleted.class).attempt()).isEqualTo(1);
        assertThat(events(retry).stream().filter(e -> e instanceof JobStarted)).hasSize(1);
    }

    private static JobRequested withInput(JobRequested r, InputObject input) {
        return new JobRequested(r.eventId(), r.jobId(), r.tenant(), r.attempt(), r.time(), r.queue(), input,
                r.outputs(), r.labels(), r.webhook(), r.maxDurationSeconds(), r.expiresAt(), r.retry());
    }

    private static byte[] png(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR), "png", out);
        return out.toByteArray();
    }

    /** A PNG signature and IHDR declaring {@code width x height}: a few bytes that would ask for gigabytes. */
    static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width)
                .putInt(height).put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    private JobRequested submit(List<OutputSpec> outputs, Integer maxSeconds) throws Exception {
        return submit(UUID.randomUUID(), outputs, maxSeconds);
    }

    private JobRequested submit(UUID jobId, List<OutputSpec> outputs, Integer maxSeconds) throws Exception {
        JobRequested job = prepare(jobId, outputs, maxSeconds);
        publish(job);
        return job;
    }

    /** Stores the input. */
    private JobRequested prepare(UUID jobId, List<OutputSpec> outputs, Integer maxSeconds) throws Exception {
        String key = "uploads/default/" + UUID.randomUUID();
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        bucket.write(key, png.toByteArray(), "image/png");
        JobRequested job = new JobRequested(UUID.randomUUID(), jobId, "default", 0, Instant.now(),
                Topics.DEFAULT_QUEUE, new InputObject(key, "in.png", "image/png", png.size()), outputs, Map.of(), null,
                maxSeconds, null, false);
        return job;
    }

    /** Publishes the request and waits for the broker's ack, as job-api does before its 202. */
    private static void publish(JobRequested job) throws Exception {
        ProducerRecord<String, JobEvent> record = new ProducerRecord<>(Topics.requests("default"),
                job.jobId().toString(), job);
        record.headers().add("test_origin", "worker-test".getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
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

    private static List<ConsumerRecord<String, JobEvent>> deadLetters(JobRequested job) {
        return deadLetters.stream().filter(r -> r.value() != null && r.value().jobId().equals(job.jobId())).toList();
    }

    private static <T extends JobEvent> T await(JobRequested job, Class<T> type) throws InterruptedException {
        return type.cast(awaitEvent(job, type::isInstance));
    }

    private static <T extends JobEvent> T await(JobRequested job, Class<T> type, long pollMs)
            throws InterruptedException {
        return type.cast(awaitEvent(job, type::isInstance, pollMs));
    }

    private static JobEvent awaitEvent(JobRequested job, Predicate<JobEvent> match) throws InterruptedException {
        return awaitEvent(job, match, 100);
    }

    private static JobEvent awaitEvent(JobRequested job, Predicate<JobEvent> match, long pollMs)
            throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (JobEvent e : events(job)) {
                if (match.test(e)) {
                    return e;
                }
            }
            Thread.sleep(pollMs);
        }
        throw new AssertionError("no matching event for job " + job.jobId() + "; got " + events(job));
    }

    private static ConsumerRecord<String, JobEvent> awaitDeadLetter(JobRequested job) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            List<ConsumerRecord<String, JobEvent>> found = deadLetters(job);
            if (!found.isEmpty()) {
                return found.get(found.size() - 1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no dead letter for job " + job.jobId());
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
