package dev.framewright.api.limits;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.framewright.api.tenant.Authenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether a new job may be accepted: refused with 503 {@code overloaded} while the whole queue is deeper than
 * {@code framewright.limits.max-queue-depth}, and with 429 {@code too_many_queued_jobs} while the tenant already
 * has {@code max-queued-jobs-per-tenant} (or its override) queued or running jobs in the read model.
 *
 * <p>Call it before storing the upload ({@code JobSubmissionService.submit}), so a refused job costs nothing, and
 * report every accepted job with {@link #accepted}.
 *
 * <p>The tenant's active jobs are counted in the read model at most once per {@code active-jobs-refresh} (100 ms)
 * per tenant and instance, not on every submission: the count is linear in the tenant's queue. In between, this
 * instance adds the jobs it accepted itself. The per-tenant cap is soft; it may be overshot by
 * <ul>
 * <li>the submissions in flight at once (admitted, not yet accepted), as before;</li>
 * <li>the jobs other job-api instances accepted since this instance last counted (at most one refresh interval's
 *     worth), and the ones this instance accepted while a count was running.</li>
 * </ul>
 * Jobs that finished count until the next refresh, so the cap errs on the refusing side for at most that long.
 */
@ApplicationScoped
public class AdmissionControl {

    /** The tenant's active jobs as last counted, plus those this instance accepted since. */
    static final class Active {
        final long counted;
        final AtomicLong accepted = new AtomicLong();

        Active(long counted) {
            this.counted = counted;
        }

        long now() {
            return counted + accepted.get();
        }
    }

    private final LimitsConfig config;
    private final QueueDepthGuard queueDepth;
    private final Authenticator tenants;
    private final Pool pool;
    /** Concurrent submissions of a tenant whose count expired share one count (Caffeine loads a key once). */
    private final AsyncCache<String, Active> active;

    public AdmissionControl(LimitsConfig config, QueueDepthGuard queueDepth, Authenticator tenants, Pool pool) {
        this.config = config;
        this.queueDepth = queueDepth;
        this.tenants = tenants;
        this.pool = pool;
        this.active = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.activeJobsRefresh())
                .buildAsync();
    }

    /** Completes when the tenant may submit; fails with a {@link RetryLaterException} otherwise. */
    public Uni<Void> admit(String tenant) {
        return Uni.createFrom().voidItem()
                .invoke(queueDepth::check)
                .chain(() -> tenants.limits(tenant))
                .chain(limits -> {
                    int max = limits.maxQueuedJobs() != null ? limits.maxQueuedJobs() : config.maxQueuedJobsPerTenant();
                    return Uni.createFrom().completionStage(() -> active.get(tenant, (t, executor) -> count(t, max)))
                            .invoke(jobs -> {
                                if (jobs.now() >= max) {
                                    throw RetryLaterException.tooManyQueuedJobs(max);
                                }
                            });
                })
                .replaceWithVoid();
    }

    /** {@link #admit} for blocking code (a worker thread). */
    public void admitBlocking(String tenant) {
        admit(tenant).await().atMost(Duration.ofSeconds(5));
    }

    /** A job of the tenant was accepted (its row seeded): counted until the next count sees its row. */
    public void accepted(String tenant) {
        CompletableFuture<Active> jobs = active.getIfPresent(tenant);
        if (jobs != null && jobs.isDone() && !jobs.isCompletedExceptionally()) {
            jobs.join().accepted.incrementAndGet();
        }
    }

    /** Counting stops at the cap: only whether the tenant reached it matters. */
    private CompletableFuture<Active> count(String tenant, int max) {
        return pool.preparedQuery("""
                SELECT count(*) AS active FROM (
                    SELECT 1 FROM jobs WHERE tenant = $1 AND status IN ('queued', 'running') LIMIT $2
                ) capped""")
                .execute(Tuple.of(tenant, max))
                .map(rows -> new Active(rows.iterator().next().getLong("active")))
                .subscribeAsCompletionStage();
    }
}
