package dev.framewright.projector.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Webhook metrics (OPERATIONS.md, "Metrics, traces and logs"): every attempt by outcome with its latency, and the outbox's backlog read
 * from {@code webhook_deliveries} every {@code framewright.webhooks.metrics-interval} (the same numbers from every
 * projector instance: aggregate with max, not sum).
 */
@ApplicationScoped
public class WebhookMetrics {

    private static final Logger LOG = Logger.getLogger(WebhookMetrics.class);
    private static final String BACKLOG = """
            SELECT count(*) AS pending,
                   count(*) FILTER (WHERE next_attempt_at <= now()) AS due,
                   coalesce(extract(epoch FROM now() - min(next_attempt_at) FILTER (WHERE next_attempt_at <= now())), 0)
                     AS oldest_due_seconds
            FROM webhook_deliveries WHERE status = 'pending'""";

    private final MeterRegistry registry;
    private final Pool pool;
    private final Vertx vertx;
    private final Duration interval;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong oldestDueMillis = new AtomicLong();
    private volatile long timer = -1;

    public WebhookMetrics(MeterRegistry registry, Pool pool, Vertx vertx, WebhooksConfig config) {
        this.registry = registry;
        this.pool = pool;
        this.vertx = vertx;
        this.interval = config.metricsInterval();
        Gauge.builder("framewright.webhook.pending", pending, AtomicLong::get)
                .description("Notifications not delivered yet (being retried or waiting for their first attempt)")
                .register(registry);
        Gauge.builder("framewright.webhook.due", due, AtomicLong::get)
                .description("Pending notifications whose next attempt is due now: the dispatcher's backlog")
                .register(registry);
        Gauge.builder("framewright.webhook.oldest.due.age", oldestDueMillis, v -> v.get() / 1000.0)
                .baseUnit("seconds").description("How long the longest-waiting due notification has been due")
                .register(registry);
    }

    /** One POST: {@code outcome} delivered, retrying (a next attempt is scheduled) or failed (given up). */
    void attempt(String outcome, Integer httpStatus, long millis) {
        String result = httpStatus == null ? "error" : (httpStatus / 100) + "xx";
        Counter.builder("framewright.webhook.attempts").description("Webhook POSTs, by outcome and response class")
                .tag("outcome", outcome).tag("result", result).register(registry).increment();
        Timer.builder("framewright.webhook.attempt.duration").description("Webhook POST latency, by response class")
                .tag("result", result).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(millis, TimeUnit.MILLISECONDS);
    }

    void start(@Observes StartupEvent startup) {
        timer = vertx.setPeriodic(1000, Math.max(1, interval.toMillis()), id -> refresh());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void refresh() {
        pool.query(BACKLOG).execute().subscribe().with(rows -> {
            for (Row r : rows) {
                pending.set(r.getLong("pending"));
                due.set(r.getLong("due"));
                oldestDueMillis.set(Math.round(r.getDouble("oldest_due_seconds") * 1000));
            }
        }, failure -> LOG.debugf("Could not read the webhook backlog: %s", failure.toString()));
    }
}
