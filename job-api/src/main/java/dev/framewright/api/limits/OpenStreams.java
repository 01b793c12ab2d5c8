package dev.framewright.api.limits;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Open event streams per tenant, in this instance: each holds a connection and a registration, so one tenant's
 * browser tabs (or a loop that never closes them) must not use up what every tenant shares.
 */
@ApplicationScoped
public class OpenStreams {

    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    private final LimitsConfig limits;

    public OpenStreams(LimitsConfig limits) {
        this.limits = limits;
    }

    /**
     * Counts one more stream of the tenant, or answers 429 {@code too_many_streams}.
     *
     * @return the release, to run once when the stream ends (running it again does nothing)
     */
    public Runnable acquire(String tenant) {
        int max = limits.maxEventStreams();
        boolean[] admitted = {false};
        open.compute(tenant, (t, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            throw RetryLaterException.tooManyStreams(max);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                open.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
            }
        };
    }

    /** The tenant's open streams now. */
    public int open(String tenant) {
        return open.getOrDefault(tenant, 0);
    }
}
