package dev.framewright.projector.park;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import dev.framewright.projector.webhook.WebhooksConfig;
import org.jboss.logging.Logger;

/**
 * {@code framewright_projector_parked_records_total{reason}} (records parked), {@code
 * framewright_projector_parked_unresolved} (parked and not re-applied, read from the table) and {@code
 * framewright_projector_records_skipped_total{reason}} (records of types newer than this projector).
 */
@ApplicationScoped
public class ParkMetrics {

    private static final Logger LOG = Logger.getLogger(ParkMetrics.class);

    private final MeterRegistry registry;
    private final ParkedRecords parked;
    private final Vertx vertx;
    private final Duration interval;
    private final AtomicLong unresolved = new AtomicLong();
    private volatile long timer = -1;

    public ParkMetrics(MeterRegistry registry, ParkedRecords parked, Vertx vertx, WebhooksConfig config) {
        this.registry = registry;
        this.parked = parked;
        this.vertx = vertx;
        this.interval = config.metricsInterval();
        Gauge.builder("framewright.projector.parked.unresolved", unresolved, AtomicLong::get)
                .description("Parked records not re-applied yet (GET /admin/parked)").register(registry);
    }

    public void parked(String reason) {
        Counter.builder("framewright.projector.parked.records").description("Records parked instead of folded")
                .tag("reason", reason).register(registry).increment();
    }

    public void skipped(String reason, int n) {
        Counter.builder("framewright.projector.records.skipped")
                .description("Records skipped on purpose (unknown_type: an event type newer than this projector)")
                .tag("reason", reason).register(registry).increment(n);
    }

    void start(@Observes StartupEvent startup) {
        timer = vertx.setPeriodic(1000, Math.max(1, interval.toMillis()), id -> refresh());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public void refresh() {
        parked.countUnresolved().subscribe().with(unresolved::set,
                failure -> LOG.debugf("Could not count the parked records: %s", failure.toString()));
    }
}
