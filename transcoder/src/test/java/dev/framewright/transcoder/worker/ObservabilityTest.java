package dev.framewright.transcoder.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.InputObject;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobRequested;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Topics;
import dev.framewright.events.VideoOutput;
import dev.framewright.transcoder.storage.MediaBucket;
import dev.framewright.transcoder.telemetry.InMemoryTelemetry;
import dev.framewright.transcoder.telemetry.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With tracing on (spans in memory): a request's W3C trace context goes on in every lifecycle event and dead letter
 * the worker emits, the job's spans carry the job id and output names; and the worker's Prometheus counters move by
 * exactly one job's worth, with the right labels.
 */
@QuarkusTest
@TestProfile(ObservabilityTest.Tracing.class)
@QuarkusTestResource(value = WorkerStackResource.class, restrictToAnnotatedClass = true)
class ObservabilityTest {

    public static class Tracing implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(InMemoryTelemetry.class);
        }
    }

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
    private static final List<ConsumerRecord<String, JobEvent>> emitted = new CopyOnWriteArrayList<>();
    private static KafkaProducer<String, JobEvent> producer;
    private static TopicRecorder recorder;

    @Inject
    MediaBucket bucket;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @BeforeAll
    static void startReading() {
        String bootstrap = WorkerStackResource.stack.kafkaBootstrapServers();
        producer = TopicRecorder.producer(bootstrap);
        recorder = TopicRecorder.start(bootstrap, "observability-test",
                List.of(Topics.JOB_LIFECYCLE, Topics.DEAD_LETTER),
                emitted::add);
    }

    @AfterAll
    static void stopReading() throws InterruptedException {
        recorder.close();
        producer.close();
    }

    @Test
    void aRequestsTraceGoesOnInEveryEventTheWorkerEmitsAndItsSpansNameTheJobAndOutputs() throws Exception {
        JobRequested job = submit(List.of(VideoOutput.of("ok-small", 640, null)), TRACEPARENT);
        List<ConsumerRecord<String, JobEvent>> records = awaitRecords(job, "framewright.job.completed.v1");

        assertThat(records).extracting(r -> r.value().type())
                .contains("framewright.job.started.v1", "framewright.job.progress.v1", "framewright.job.completed.v1");
        for (ConsumerRecord<String, JobEvent> r : records) {
            assertThat(header(r, "traceparent")).as(r.value().type()).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
            assertThat(r.headers().headers("traceparent")).hasSize(1);
        }

        // The job's span ends once the delivery is done, a moment after its terminal event is out.
        List<SpanData> spans = List.of();
        for (long end = System.nanoTime() + Duration.ofSeconds(10).toNanos(); System.nanoTime() < end; ) {
            spans = InMemoryTelemetry.SPANS.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(TRACE_ID)).toList();
            if (spans.stream().anyMatch(s -> s.getName().equals("transcode job"))) {
                break;
            }
            Thread.sleep(100);
        }
        SpanData jobSpan = spans.stream().filter(s -> s.getName().equals("transcode job")).findFirst().orElseThrow();
        assertThat(jobSpan.getAttributes().get(AttributeKey.stringKey(Telemetry.JOB_ID)))
                .isEqualTo(job.jobId().toString());
        SpanData upload = spans.stream().filter(s -> s.getName().equals("upload output")).findFirst().orElseThrow();
        assertThat(upload.getAttributes().get(AttributeKey.stringKey(Telemetry.OUTPUT_NAME))).isEqualTo("ok-small");
        assertThat(upload.getParentSpanId()).isEqualTo(jobSpan.getSpanId());
        // The connector's receive span of the request is the job span's parent; its publish spans are children.
        assertThat(spans).anySatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo("00f067aa0ba902b7"));
        assertThat(spans.stream().filter(s -> s.getParentSpanId().equals(jobSpan.getSpanId())).count())
                .isGreaterThanOrEqualTo(2); // JobStarted's and JobCompleted's publish spans at least
    }

    @Test
    void everyLogLineAboutAJobCarriesItsIdInTheMdc() throws Exception {
        List<org.jboss.logmanager.ExtLogRecord> records = new CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                org.jboss.logmanager.ExtLogRecord r = (org.jboss.logmanager.ExtLogRecord) record;
                r.copyMdc(); // taken on the logging thread, as the JSON formatter does
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger worker = java.util.logging.Logger.getLogger("dev.framewright.transcoder.worker");
        worker.addHandler(capture);
        try {
            JobRequested job = submit(List.of(VideoOutput.of("flaky", 640, null)), null);
            awaitDeadLetter(job);
            // The dead letter goes out before the terminal event, which is logged once it is published.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (records.stream().noneMatch(r -> r.getFormattedMessage().contains(job.jobId() + " attempt 2 failed"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<org.jboss.logmanager.ExtLogRecord> aboutJob = records.stream()
                    .filter(r -> r.getFormattedMessage().contains(job.jobId().toString())).toList();
            assertThat(aboutJob).hasSizeGreaterThanOrEqualTo(2); // the retried attempt and the failed one
            assertThat(aboutJob).allSatisfy(r -> assertThat(r.getMdc("job_id")).isEqualTo(job.jobId().toString()));
        } finally {
            worker.removeHandler(capture);
        }
    }

    @Test
    void aDeadLetterStaysInTheJobsTrace() throws Exception {
        String traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
        JobRequested job = submit(List.of(VideoOutput.of("flaky", 640, null)),
                "00-" + traceId + "-00f067aa0ba902b8-01");
        ConsumerRecord<String, JobEvent> dead = awaitDeadLetter(job);
        assertThat(dead.headers().headers("traceparent")).hasSize(1);
        assertThat(header(dead, "traceparent")).startsWith("00-" + traceId + "-");
    }

    @Test
    void countersMoveByOneJobsWorthWithBoundedLabels() throws Exception {
        String before = scrape();
        JobRequested ok = submit(List.of(VideoOutput.of("ok-a", 640, null), VideoOutput.of("ok-b", 320, null)), null);
        awaitRecords(ok, "framewright.job.completed.v1");
        JobRequested flaky = submit(List.of(VideoOutput.of("flaky", 640, null)), null);
        awaitDeadLetter(flaky);
        String after = scrape();

        assertThat(delta(before, after, "framewright_transcoder_jobs_started_total", "queue=\"default\""))
                .isEqualTo(3); // one attempt of the good job, two (max-attempts) of the flaky one
        assertThat(delta(before, after, "framewright_transcoder_jobs_finished_total",
                "code=\"none\",outcome=\"succeeded\",queue=\"default\"")).isEqualTo(1);
        assertThat(delta(before, after, "framewright_transcoder_jobs_finished_total",
                "code=\"storage_unavailable\",outcome=\"failed\",queue=\"default\"")).isEqualTo(1);
        assertThat(delta(before, after, "framewright_outputs_total", "outcome=\"succeeded\",type=\"video\""))
                .isEqualTo(2);
        assertThat(delta(before, after, "framewright_outputs_total", "outcome=\"failed\",type=\"video\""))
                .isEqualTo(1);
        assertThat(delta(before, after, "framewright_transcoder_retries_total", "code=\"storage_unavailable\""))
                .isEqualTo(1);
        assertThat(delta(before, after, "framewright_transcoder_dead_letters_total", "reason=\"storage_unavailable\""))
                .isEqualTo(1);
        assertThat(delta(before, after, "framewright_transcoder_output_processing_seconds_count", "type=\"video\""))
                .isEqualTo(2);
        assertThat(delta(before, after, "framewright_transcoder_queue_wait_seconds_count", "queue=\"default\""))
                .isEqualTo(2);
        assertThat(value(after, "framewright_transcoder_slots", "")).isEqualTo(1);
        assertThat(value(after, "framewright_transcoder_slots_busy", "")).isZero();
        assertThat(value(after, "framewright_transcoder_oldest_progress_age_seconds", "")).isZero();
        assertThat(after).contains("kafka_consumer_fetch_manager_records_lag");
        assertThat(after).doesNotContain(ok.jobId().toString());
    }

    // --- helpers

    private JobRequested submit(List<OutputSpec> outputs, String traceparent) throws Exception {
        UUID jobId = UUID.randomUUID();
        String key = "uploads/default/" + UUID.randomUUID();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(64, 48,
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR), "png", png);
        bucket.write(key, png.toByteArray(), "image/png");
        JobRequested job = new JobRequested(UUID.randomUUID(), jobId, "default", 0, Instant.now(),
                Topics.DEFAULT_QUEUE, new InputObject(key, "in.png", "image/png", png.size()), outputs, Map.of(), null,
                null, null, false);
        ProducerRecord<String, JobEvent> record = new ProducerRecord<>(Topics.requests("default"), jobId.toString(),
                job);
        if (traceparent != null) {
            record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get();
        return job;
    }

    private static List<ConsumerRecord<String, JobEvent>> records(JobRequested job) {
        List<ConsumerRecord<String, JobEvent>> out = new ArrayList<>();
        for (ConsumerRecord<String, JobEvent> r : emitted) {
            if (r.value() != null && r.value().jobId().equals(job.jobId()) && r.topic().equals(Topics.JOB_LIFECYCLE)) {
                out.add(r);
            }
        }
        return out;
    }

    private static List<ConsumerRecord<String, JobEvent>> awaitRecords(JobRequested job, String type)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            List<ConsumerRecord<String, JobEvent>> found = records(job);
            if (found.stream().anyMatch(r -> r.value().type().equals(type))) {
                return found;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + type + " for job " + job.jobId() + "; got " + records(job));
    }

    private static ConsumerRecord<String, JobEvent> awaitDeadLetter(JobRequested job) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            for (ConsumerRecord<String, JobEvent> r : emitted) {
                if (r.topic().equals(Topics.DEAD_LETTER) && r.value() != null
                        && r.value().jobId().equals(job.jobId())) {
                    Thread.sleep(500); // the terminal event and its metrics come with it
                    return r;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no dead letter for job " + job.jobId());
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The sample {@code name{labels}} (labels in Prometheus' sorted order, exactly), 0 when absent. */
    static double value(String scrape, String name, String labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + (labels.isEmpty() ? "" : Pattern.quote("{" + labels + "}"))
                + " ([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static double delta(String before, String after, String name, String labels) {
        return value(after, name, labels) - value(before, name, labels);
    }
}
