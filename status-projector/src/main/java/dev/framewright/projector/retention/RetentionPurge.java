package dev.framewright.projector.retention;

import dev.framewright.projector.ProjectorConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Deletes what the read model keeps of a job once its retention passed ({@code expired_at} set by job-api's sweeper,
 * or {@code expires_at} of a finished job, plus {@code purge.grace}): its event history, webhook deliveries and
 * attempts, and parked records. The job row stays (job-api answers 410 from it) and is marked {@code
 * history_purged_at}, so it is never scanned again. Parked records of no known job go after {@code
 * purge.parked-max-age}. Every DELETE takes at most {@code purge.batch-size} rows, in its own short transaction.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
    /** Jobs taken per round; their rows are deleted in batches, then they are marked. */
    private static final int JOBS_PER_ROUND = 200;

    private static final String DUE = """
            SELECT id FROM jobs
            WHERE history_purged_at IS NULL AND expires_at IS NOT NULL AND coalesce(expired_at, expires_at) < $1
              AND (expired_at IS NOT NULL OR status IN ('succeeded', 'failed', 'canceled'))
            ORDER BY coalesce(expired_at, expires_at) LIMIT $2""";
    private static final Map<String, String> DELETES = new LinkedHashMap<>();

    static {
        DELETES.put("job_events", """
                DELETE FROM job_events WHERE ctid IN (
                  SELECT ctid FROM job_events WHERE job_id = ANY($1) LIMIT $2)""");
        DELETES.put("webhook_attempts", """
                DELETE FROM webhook_attempts WHERE ctid IN (
                  SELECT a.ctid FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
                  WHERE d.job_id = ANY($1) LIMIT $2)""");
        DELETES.put("webhook_deliveries", """
                DELETE FROM webhook_deliveries WHERE ctid IN (
                  SELECT ctid FROM webhook_deliveries WHERE job_id = ANY($1) LIMIT $2)""");
        DELETES.put("parked_records", """
                DELETE FROM parked_records WHERE ctid IN (
                  SELECT ctid FROM parked_records WHERE job_id = ANY($1) LIMIT $2)""");
    }

    private static final String MARK = "UPDATE jobs SET history_purged_at = now() WHERE id = ANY($1)";
    private static final String ORPHANS = """
            DELETE FROM parked_records WHERE ctid IN (
              SELECT p.ctid FROM parked_records p
              WHERE p.parked_at < $1 AND (p.job_id IS NULL OR NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = p.job_id))
              LIMIT $2)""";

    private final Pool pool;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final ProjectorConfig.Purge config;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;

    public RetentionPurge(Pool pool, Vertx vertx, MeterRegistry registry, ProjectorConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.registry = registry;
        this.config = config.purge();
    }

    void start(@Observes StartupEvent startup) {
        long every = Math.max(1, config.interval().toMillis());
        timer = vertx.setPeriodic(every, every, id -> {
            if (running.compareAndSet(false, true)) {
                purge().subscribe().with(deleted -> {
                    running.set(false);
                    if (deleted.values().stream().anyMatch(n -> n > 0)) {
                        LOG.infof("Retention purge deleted %s", deleted);
                    }
                }, failure -> {
                    running.set(false);
                    LOG.warnf("Retention purge failed, trying again in %s: %s", config.interval(), failure);
                });
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One run: table → rows deleted. */
    public Uni<Map<String, Long>> purge() {
        Map<String, Long> deleted = new LinkedHashMap<>();
        DELETES.keySet().forEach(t -> deleted.put(t, 0L));
        Instant now = Instant.now();
        OffsetDateTime due = utc(now.minus(config.grace()));
        return rounds(due, deleted)
                .chain(() -> repeat(ORPHANS, Tuple.of(utc(now.minus(config.parkedMaxAge())), config.batchSize()),
                        "parked_records", deleted))
                .replaceWith(deleted);
    }

    private Uni<Void> rounds(OffsetDateTime due, Map<String, Long> deleted) {
        if (total(deleted) >= config.maxPerRun()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(DUE).execute(Tuple.of(due, JOBS_PER_ROUND)).chain(rows -> {
            List<UUID> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getUUID(0)));
            if (ids.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            UUID[] idArray = ids.toArray(UUID[]::new);
            Uni<Void> round = Uni.createFrom().voidItem();
            for (Map.Entry<String, String> d : DELETES.entrySet()) {
                round = round.chain(() -> repeat(d.getValue(), Tuple.of(idArray, config.batchSize()), d.getKey(),
                        deleted));
            }
            // A run cut short by max-per-run marks nothing: the next run finishes these jobs first.
            return round.chain(() -> total(deleted) >= config.maxPerRun() ? Uni.createFrom().voidItem()
                    : pool.preparedQuery(MARK).execute(Tuple.of((Object) idArray)).chain(() ->
                            ids.size() < JOBS_PER_ROUND ? Uni.createFrom().voidItem() : rounds(due, deleted)));
        });
    }

    /** The DELETE again while it takes a full batch. */
    private Uni<Void> repeat(String sql, Tuple params, String table, Map<String, Long> deleted) {
        return pool.preparedQuery(sql).execute(params).chain(result -> {
            int n = result.rowCount();
            deleted.merge(table, (long) n, Long::sum);
            if (n > 0) {
                Counter.builder("framewright.projector.purged.rows")
                        .description("Rows deleted by the retention purge, by table").tag("table", table)
                        .register(registry).increment(n);
            }
            return n < config.batchSize() || total(deleted) >= config.maxPerRun() ? Uni.createFrom().voidItem()
                    : repeat(sql, params, table, deleted);
        });
    }

    private static long total(Map<String, Long> deleted) {
        return deleted.values().stream().mapToLong(Long::longValue).sum();
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
