package dev.framewright.transcoder.worker;

import dev.framewright.events.FailureCode;
import dev.framewright.events.JobRequested;
import dev.framewright.events.OutputFailure;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.OutputType;
import dev.framewright.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's Prometheus metrics (OPERATIONS.md, "Metrics" lists them). Labels are bounded sets only: queue, output
 * type, outcome, failure code, watchdog verdict; never a job id. Per-job state lives here only while the job runs.
 */
@ApplicationScoped
public class JobMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger busy = new AtomicInteger();
    /** Running attempts: job id → System.nanoTime() of its last sign of progress. */
    private final Map<UUID, Long> lastProgress = new ConcurrentHashMap<>();

    public JobMetrics(MeterRegistry registry, TranscoderConfig config) {
        this.registry = registry;
        Gauge.builder("framewright.transcoder.slots.busy", busy, AtomicInteger::get)
                .description("Deliveries this instance is handling (a slot of the transcode pool each)")
                .register(registry);
        Gauge.builder("framewright.transcoder.slots", config, c -> c.parallelism())
                .description("Jobs this instance runs at once (framewright.transcoder.parallelism)")
                .register(registry);
        Gauge.builder("framewright.transcoder.oldest.progress.age", lastProgress, JobMetrics::oldestAgeSeconds)
                .baseUnit("seconds")
                .description("Seconds since the running attempt that progressed least recently last progressed; "
                        + "0 when idle")
                .register(registry);
    }

    /** A delivery took a slot of the transcode pool; {@link #released()} when it gives it back. */
    void taken() {
        busy.incrementAndGet();
    }

    void released() {
        busy.decrementAndGet();
    }

    /** JobStarted was emitted for {@code attempt}; the first attempt of a delivery measures the queue wait. */
    void attemptStarted(JobRequested job, Instant startedAt, boolean firstOfDelivery) {
        lastProgress.put(job.jobId(), System.nanoTime());
        Counter.builder("framewright.transcoder.jobs.started").description("Attempts started (JobStarted emitted)")
                .tag("queue", queue(job)).register(registry).increment();
        if (firstOfDelivery && job.time() != null) {
            Duration wait = Duration.between(job.time(), startedAt);
            Timer.builder("framewright.transcoder.queue.wait")
                    .description("JobStarted time minus JobRequested time (first attempt of each delivery)")
                    .tag("queue", queue(job)).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofHours(6))
                    .register(registry).record(wait.isNegative() ? Duration.ZERO : wait);
        }
    }

    /** A progress event, or any other sign that the attempt moves. */
    void progressed(UUID jobId) {
        lastProgress.computeIfPresent(jobId, (id, previous) -> System.nanoTime());
    }

    void attemptEnded(UUID jobId) {
        lastProgress.remove(jobId);
    }

    void retried(FailureCode code) {
        Counter.builder("framewright.transcoder.retries").description("Attempts that failed transiently and were retried")
                .tag("code", code.wireName()).register(registry).increment();
    }

    /** The watchdog stopped an attempt (stalled, timeout, canceled, shutdown). */
    void stopped(Watchdog.Verdict verdict) {
        Counter.builder("framewright.transcoder.watchdog.stops").description("Attempts the watchdog stopped, by reason")
                .tag("reason", verdict.name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
    }

    void quarantined() {
        Counter.builder("framewright.transcoder.quarantined")
                .description("Jobs set aside after too many unfinished attempts in a row").register(registry).increment();
    }

    void deadLettered(FailureCode reason) {
        Counter.builder("framewright.transcoder.dead.letters").description("Requests published to the dead-letter topic")
                .tag("reason", reason.wireName()).register(registry).increment();
    }

    void succeeded(JobRequested job, List<OutputResult> outputs, Duration took) {
        finished(job, "succeeded", "none");
        for (OutputResult r : outputs) {
            output(r.type(), "succeeded");
            processing(r.type(), took);
        }
    }

    /** A terminal JobFailed; {@code stored}/{@code failed} are the partial results, empty when there are none. */
    void failed(JobRequested job, FailureCode code, List<OutputResult> stored, List<OutputFailure> failed,
            Duration took) {
        finished(job, "failed", code.wireName());
        if (stored.isEmpty() && failed.isEmpty()) {
            job.outputs().forEach(spec -> output(spec.type(), "failed"));
            return;
        }
        for (OutputResult r : stored) {
            output(r.type(), "succeeded");
            processing(r.type(), took);
        }
        failed.forEach(f -> output(f.type(), "failed"));
    }

    void canceled(JobRequested job) {
        finished(job, "canceled", "none");
        for (OutputSpec spec : job.outputs()) {
            output(spec.type(), "canceled");
        }
    }

    private void finished(JobRequested job, String outcome, String code) {
        Counter.builder("framewright.transcoder.jobs.finished").description("Terminal events emitted, by outcome and code")
                .tag("queue", queue(job)).tag("outcome", outcome).tag("code", code).register(registry).increment();
    }

    private void output(OutputType type, String outcome) {
        Counter.builder("framewright.outputs").description("Outputs that reached a terminal state, by type and outcome")
                .tag("type", type == null ? "unknown" : type.wireName()).tag("outcome", outcome)
                .register(registry).increment();
    }

    /** Outputs render together in one decode pass: an output's time is its attempt's, from JobStarted to the end. */
    private void processing(OutputType type, Duration took) {
        Timer.builder("framewright.transcoder.output.processing")
                .description("Attempt time (JobStarted to terminal event) of each succeeded output, by output type")
                .tag("type", type == null ? "unknown" : type.wireName()).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofHours(2))
                .register(registry).record(took);
    }

    private static String queue(JobRequested job) {
        return job.queue() == null ? Topics.DEFAULT_QUEUE : job.queue();
    }

    private static double oldestAgeSeconds(Map<UUID, Long> lastProgress) {
        long now = System.nanoTime();
        long oldest = 0;
        for (long at : lastProgress.values()) {
            oldest = Math.max(oldest, now - at);
        }
        return oldest / 1e9;
    }
}
