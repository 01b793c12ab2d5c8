package dev.framewright.api.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Submission metrics (OPERATIONS.md, "Metrics, traces and logs"). Labels are bounded: the queue is one of {@code framewright.queues};
 * the tenant is named only when listed in {@code framewright.metrics.tenants} (any number of tenants may exist, and
 * a label per tenant would grow the series without bound), every other tenant counts as {@code other}.
 */
@ApplicationScoped
public class JobMetrics {

    private final MeterRegistry registry;
    private final Set<String> namedTenants;
    private final Counter replays;

    public JobMetrics(MeterRegistry registry,
            @ConfigProperty(name = "framewright.metrics.tenants") Optional<List<String>> namedTenants) {
        this.registry = registry;
        this.namedTenants = Set.copyOf(namedTenants.orElse(List.of()));
        this.replays = Counter.builder("framewright.jobs.idempotent.replays")
                .description("Submissions answered with the first request's response (same Idempotency-Key)")
                .register(registry);
    }

    /** A job was accepted: JobRequested is durable on the queue's topic. */
    void submitted(String queue, String tenant) {
        Counter.builder("framewright.jobs.submitted").description("Jobs accepted (202), by queue and tenant")
                .tag("queue", queue).tag("tenant", namedTenants.contains(tenant) ? tenant : "other")
                .register(registry).increment();
    }

    void replayed() {
        replays.increment();
    }

    /** Buckets for HTTP server latency, so dashboards can show submission p50/p95 (Quarkus exports count/sum only). */
    @Produces
    @Singleton
    static MeterFilter httpLatencyHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals("http.server.requests")) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true)
                            .minimumExpectedValue(Duration.ofMillis(5).toNanos() * 1.0)
                            .maximumExpectedValue(Duration.ofMinutes(5).toNanos() * 1.0)
                            .build().merge(config);
                }
                return config;
            }
        };
    }
}
