package dev.framewright.projector.kafka;

import dev.framewright.events.JobEvent;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Topics;
import dev.framewright.projector.store.ReceivedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fold's Prometheus metrics (OPERATIONS.md, "Metrics, traces and logs"). Labels: the event's CloudEvents type and its topic, both
 * bounded (topics are one per configured queue, plus the lifecycle topic).
 */
@ApplicationScoped
public class FoldMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer foldTime;
    private final Counter duplicates;
    /** Per type and topic: looked up once, not registered again for every event. */
    private final Map<String, Map<String, Counter>> events = new ConcurrentHashMap<>();
    /** Topic → milliseconds from the event's time to its fold, for the topic's last folded event. */
    private final Map<String, AtomicLong> lagMillis = new ConcurrentHashMap<>();

    public FoldMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchSize = DistributionSummary.builder("framewright.projector.fold.batch.size")
                .description("Job events per folded batch (one transaction)").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(500.0).register(registry);
        this.foldTime = Timer.builder("framewright.projector.fold.duration")
                .description("Time to fold one batch, database retries included").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        this.duplicates = Counter.builder("framewright.projector.events.duplicate")
                .description("Redelivered events the fold recognised by id and skipped").register(registry);
    }

    /** A batch is committed: {@code fresh} of its events were new (the others were folded before). */
    void folded(List<ReceivedEvent> batch, int fresh, long nanos) {
        batchSize.record(batch.size());
        foldTime.record(nanos, TimeUnit.NANOSECONDS);
        duplicates.increment(Math.max(0, batch.size() - fresh));
        Instant now = Instant.now();
        for (ReceivedEvent r : batch) {
            JobEvent e = r.event();
            String topic = topic(e);
            events.computeIfAbsent(e.type(), t -> new ConcurrentHashMap<>())
                    .computeIfAbsent(topic, t -> Counter.builder("framewright.projector.events")
                            .description("Job events folded, by type and topic")
                            .tag("type", e.type()).tag("topic", t).register(registry))
                    .increment();
            if (e.time() != null) {
                lag(topic).set(Duration.between(e.time(), now).toMillis());
            }
        }
    }

    private AtomicLong lag(String topic) {
        return lagMillis.computeIfAbsent(topic, t -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("framewright.projector.lag", value, v -> v.get() / 1000.0).baseUnit("seconds")
                    .description("Fold time minus event time of the topic's last folded event")
                    .tag("topic", t).register(registry);
            return value;
        });
    }

    /** Requests travel on their queue's topic, every other event on the lifecycle topic (job-events' contract). */
    static String topic(JobEvent e) {
        if (e instanceof JobRequested r) {
            return Topics.requests(r.queue() == null ? Topics.DEFAULT_QUEUE : r.queue());
        }
        return Topics.JOB_LIFECYCLE;
    }
}
