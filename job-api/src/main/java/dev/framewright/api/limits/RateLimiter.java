package dev.framewright.api.limits;

import dev.framewright.api.tenant.TenantLimits;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket per tenant (Bucket4j, lock-free): {@code burst} requests at once, refilled at
 * {@code requests-per-second}. Buckets live in this job-api instance, so with N replicas behind a load balancer a
 * tenant's effective limit is up to N times the configured one.
 */
@ApplicationScoped
public class RateLimiter {

    private record Limited(int perSecond, int burst, Bucket bucket) {
    }

    private final LimitsConfig config;
    private final TimeMeter clock;
    private final ConcurrentHashMap<String, Limited> buckets = new ConcurrentHashMap<>();

    @Inject
    public RateLimiter(LimitsConfig config) {
        this(config, TimeMeter.SYSTEM_NANOTIME);
    }

    RateLimiter(LimitsConfig config, TimeMeter clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Takes one request's token, or throws a 429 {@code rate_limited} saying when the next token comes. */
    public void acquire(String tenant, TenantLimits overrides) {
        int perSecond = overrides.requestsPerSecond() != null ? overrides.requestsPerSecond() : config.requestsPerSecond();
        int burst = overrides.burst() != null ? overrides.burst() : config.burst();
        Limited limited = buckets.get(tenant);
        if (limited == null || limited.perSecond() != perSecond || limited.burst() != burst) {
            limited = buckets.compute(tenant, (t, current) ->
                current != null && current.perSecond() == perSecond && current.burst() == burst
                        ? current
                        : new Limited(perSecond, burst, bucket(perSecond, burst)));
        }
        ConsumptionProbe probe = limited.bucket().tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long nanos = probe.getNanosToWaitForRefill();
            throw RetryLaterException.rateLimited((nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        }
    }

    /** Forgets every bucket (tests). */
    public void reset() {
        buckets.clear();
    }

    private Bucket bucket(int perSecond, int burst) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .withCustomTimePrecision(clock)
                .build();
    }
}
