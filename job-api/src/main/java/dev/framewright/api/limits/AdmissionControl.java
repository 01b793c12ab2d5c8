package dev.framewright.api.limits;

import dev.framewright.api.tenant.Authenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Whether a new job may be accepted: refused with 503 {@code overloaded} while the whole queue is deeper than
 * {@code framewright.limits.max-queue-depth}, and with 429 {@code too_many_queued_jobs} while the tenant already
 * has {@code max-queued-jobs-per-tenant} (or its override) queued or running jobs in the read model.
 *
 * <p>Call it before storing the upload ({@code JobSubmissionService.submit}), so a refused job costs nothing. The
 * per-tenant cap is soft: submissions racing each other may overshoot it by the number in flight.
 */
@ApplicationScoped
public class AdmissionControl {

    private final LimitsConfig config;
    private final QueueDepthGuard queueDepth;
    private final Authenticator tenants;
    private final Pool pool;

    public AdmissionControl(LimitsConfig config, QueueDepthGuard queueDepth, Authenticator tenants, Pool pool) {
        this.config = config;
        this.queueDepth = queueDepth;
        this.tenants = tenants;
        this.pool = pool;
    }

    /** Completes when the tenant may submit; fails with a {@link RetryLaterException} otherwise. */
    public Uni<Void> admit(String tenant) {
        return Uni.createFrom().voidItem()
                .invoke(queueDepth::check)
                .chain(() -> tenants.limits(tenant))
                .chain(limits -> {
                    int max = limits.maxQueuedJobs() != null ? limits.maxQueuedJobs() : config.maxQueuedJobsPerTenant();
                    return pool.preparedQuery("""
                            SELECT count(*) AS active FROM (
                                SELECT 1 FROM jobs WHERE tenant = $1 AND status IN ('queued', 'running') LIMIT $2
                            ) capped""")
                            .execute(Tuple.of(tenant, max))
                            .invoke(rows -> {
                                if (rows.iterator().next().getLong("active") >= max) {
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
}
