package dev.framewright.transcoder.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.DeadLetterHeaders;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Overlay;
import dev.framewright.events.ProbeOutput;
import dev.framewright.events.Topics;
import dev.framewright.events.VideoOutput;
import dev.framewright.events.rules.ObjectKeys;
import dev.framewright.events.rules.RequestRules;
import dev.framewright.transcoder.storage.ControlStore;
import dev.framewright.transcoder.storage.MediaBucket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whoever can write to a request topic gains nothing the API would not give: records published straight to Kafka
 * that name another tenant's object, break the rulebook or miss required fields end as a dead letter with a reason
 * and a small JobFailed, with nothing downloaded and no attempt counted, and the next ordinary request still
 * completes. Real Kafka and S3 (the local stack), {@link FakeRenderer} for the media.
 */
@QuarkusTest
@QuarkusTestResource(value = TrustStackResource.class, restrictToAnnotatedClass = true)
class RequestTrustStackTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<ConsumerRecord<String, JobEvent>> lifecycle = new CopyOnWriteArrayList<>();
    private static final List<ConsumerRecord<String, JobEvent>> deadLetters = new CopyOnWriteArrayList<>();
    private static KafkaProducer<String, JobEvent> producer;
    private static TopicRecorder recorder;

    @Inject
    MediaBucket bucket;

    @Inject
    ControlStore control;

    @BeforeAll
    static void startReading() {
        String bootstrap = WorkerStackResource.stack.kafkaBootstrapServers();
        producer = TopicRecorder.producer(bootstrap);
        recorder = TopicRecorder.start(bootstrap, "trust-test", List.of(Topics.JOB_LIFECYCLE, Topics.DEAD_LETTER),
                r -> (r.topic().equals(Topics.DEAD_LETTER) ? deadLetters : lifecycle).add(r));
    }

    @AfterAll
    static void stopReading() throws InterruptedException {
        recorder.close();
        producer.close();
    }

    @Test
    void aRequestNamingAnotherTenantsUploadFailsAndTheObjectIsNeverRead() throws Exception {
        String theirs = ObjectKeys.newUpload("globex");
        byte[] secret = "globex's media".getBytes(StandardCharsets.UTF_8);
        bucket.write(theirs, secret, "video/mp4");
        JobRequested job = request(UUID.randomUUID(), "default", new InputObject(theirs, "x.mp4", "video/mp4", 14),
                List.of(VideoOutput.of("ok", 640, null)));
        publish(job.jobId().toString(), job);

        JobFailed failed = await(job.jobId(), JobFailed.class);
        assertThat(failed.code()).isEqualTo("input_missing");
        assertThat(failed.message()).contains("foreign_object").contains("input.key");
        ConsumerRecord<String, JobEvent> letter = awaitDeadLetter(job.jobId());
        assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo(RequestRules.FOREIGN_OBJECT);
        assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.requests("default"));
        assertThat(((JobRequested) letter.value()).input().key()).isEqualTo(theirs);
        // Nothing ran: no JobStarted, no attempt counted, no rendering, and their object is as it was.
        assertThat(events(job.jobId())).noneMatch(JobStarted.class::isInstance);
        assertThat(control.attempts(job.jobId()).attempts()).isZero();
        assertThat(FakeRenderer.renderStarts).doesNotContainKey(job.jobId().toString());
        assertThat(bucket.read(theirs).orElseThrow()).isEqualTo(secret);
        assertThat(bucket.list(ObjectKeys.jobPrefix(job.jobId()))).isEmpty();
    }

    @Test
    void aForeignOverlayAndAnOutputNameThatIsAPathAreRefused() throws Exception {
        Overlay overlay = new Overlay(ObjectKeys.newUpload("globex"), null, null, null, null, null, null, null, null);
        JobRequested foreign = request(UUID.randomUUID(), "default", ownInput(), List.of(
                new VideoOutput("logo", null, null, null, null, null, null, null, null, null, overlay)));
        publish(foreign.jobId().toString(), foreign);
        assertThat(header(awaitDeadLetter(foreign.jobId()), DeadLetterHeaders.REASON)).isEqualTo(RequestRules.FOREIGN_OBJECT);
        assertThat(await(foreign.jobId(), JobFailed.class).message()).contains("outputs[0].overlay.image");

        JobRequested path = request(UUID.randomUUID(), "default", ownInput(), List.of(new ProbeOutput("../x")));
        publish(path.jobId().toString(), path);
        JobFailed failed = await(path.jobId(), JobFailed.class);
        assertThat(failed.code()).isEqualTo("invalid_output");
        assertThat(failed.message()).contains("outputs[0].name");
        assertThat(header(awaitDeadLetter(path.jobId()), DeadLetterHeaders.REASON)).isEqualTo(RequestRules.INVALID_REQUEST);
        assertThat(bucket.list("jobs/")).noneMatch(k -> k.contains("/x/") || k.startsWith("jobs/" + path.jobId()));
    }

    @Test
    void requestsMissingRequiredFieldsAreDeadLetteredAndTheNextOrdinaryOneCompletes() throws Exception {
        JobRequested noInput = request(UUID.randomUUID(), "default", null, List.of(new ProbeOutput("p")));
        publish(noInput.jobId().toString(), noInput);
        assertThat(await(noInput.jobId(), JobFailed.class).code()).isEqualTo("input_missing");
        assertThat(header(awaitDeadLetter(noInput.jobId()), DeadLetterHeaders.REASON))
                .isEqualTo(RequestRules.INVALID_REQUEST);

        // No job id, tenant, event id or time: nobody to tell, so a dead letter only (keyed as the record was).
        String key = "nameless-" + UUID.randomUUID();
        JobRequested nameless = new JobRequested(null, null, null, 0, null, null, ownInput(), null, null, null, null,
                null, false);
        publish(key, nameless);

        JobRequested ordinary = request(UUID.randomUUID(), "default", ownInput(),
                List.of(VideoOutput.of("instant", 640, null)));
        publish(ordinary.jobId().toString(), ordinary);
        JobCompleted done = await(ordinary.jobId(), JobCompleted.class);
        assertThat(done.outputs()).extracting(o -> o.name()).containsExactly("instant");
        long end = System.nanoTime() + WAIT.toNanos();
        while (deadLetters.stream().noneMatch(r -> key.equals(r.key())) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertThat(deadLetters).filteredOn(r -> key.equals(r.key())).singleElement()
                .satisfies(r -> assertThat(header(r, DeadLetterHeaders.MESSAGE)).contains("jobId: is required"));
        assertThat(events(ordinary.jobId()).stream().filter(e -> e instanceof JobFailed)).isEmpty();
    }

    @Test
    void aRequestCannotLiftTheOperatorsMaximumDuration() throws Exception {
        // The operator's maximum is 10 s (TrustStackResource); the record asks for an hour.
        JobRequested job = new JobRequested(UUID.randomUUID(), UUID.randomUUID(), "default", 0, Instant.now(),
                Topics.DEFAULT_QUEUE, ownInput(), List.of(VideoOutput.of("slow", 640, null)), Map.of(), null, 3600,
                null, false);
        publish(job.jobId().toString(), job);
        long started = System.nanoTime();
        JobFailed failed = await(job.jobId(), JobFailed.class);
        assertThat(failed.code()).isEqualTo("timeout");
        assertThat(failed.message()).contains("maximum of 10 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(40));
    }

    /** A small PNG under the tenant's own uploads. */
    private InputObject ownInput() throws Exception {
        String key = ObjectKeys.newUpload("default");
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR), "png", png);
        bucket.write(key, png.toByteArray(), "image/png");
        return new InputObject(key, "in.png", "image/png", png.size());
    }

    private static JobRequested request(UUID jobId, String tenant, InputObject input, List<OutputSpec> outputs) {
        return new JobRequested(UUID.randomUUID(), jobId, tenant, 0, Instant.now(), Topics.DEFAULT_QUEUE, input,
                outputs, Map.of(), null, null, null, false);
    }

    private static void publish(String key, JobRequested job) throws Exception {
        producer.send(new ProducerRecord<>(Topics.requests("default"), key, job)).get();
    }

    private static List<JobEvent> events(UUID jobId) {
        return lifecycle.stream().map(ConsumerRecord::value).filter(e -> e != null && jobId.equals(e.jobId())).toList();
    }

    private static <T extends JobEvent> T await(UUID jobId, Class<T> type) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (JobEvent e : events(jobId)) {
                if (type.isInstance(e)) {
                    return type.cast(e);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + type.getSimpleName() + " for job " + jobId + "; got " + events(jobId));
    }

    private static ConsumerRecord<String, JobEvent> awaitDeadLetter(UUID jobId) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (ConsumerRecord<String, JobEvent> r : deadLetters) {
                if (r.value() != null && jobId.equals(r.value().jobId())) {
                    return r;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no dead letter for job " + jobId);
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
