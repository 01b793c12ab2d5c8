package dev.framewright.projector.store;

import dev.framewright.events.EventType;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobEventsChannel;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobProgress;
import dev.framewright.projector.fold.Folded;
import dev.framewright.projector.fold.JobFold;
import dev.framewright.projector.fold.JobRow;
import dev.framewright.projector.webhook.WebhookBody;
import dev.framewright.projector.webhook.WebhooksConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Folds a batch of events into the read model in one transaction: the job rows, the event history
 * ({@code job_events}, whose unique event id makes a redelivered event change nothing) and the webhook outbox all
 * commit together or not at all.
 */
@ApplicationScoped
public class ReadModelStore {

    /**
     * job-api seeds a job's row concurrently (INSERT ... ON CONFLICT DO NOTHING), so rows are created by upsert and
     * then locked: whichever writer comes first, the fold applies to the one row. Both statements go in id order, so
     * two folds of overlapping batches lock in the same order and cannot deadlock.
     */
    private static final String UPSERT = """
            INSERT INTO jobs (id, tenant, status, created_at, updated_at)
            SELECT id, tenant, 'queued', t, t FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS u(id, tenant, t)
            ORDER BY id
            ON CONFLICT (id) DO NOTHING""";
    private static final String KNOWN = "SELECT event_id FROM job_events WHERE event_id = ANY($1)";
    /** One statement for the whole batch; seq follows the fold order. The payloads are the records' JSON text. */
    private static final String HISTORY = """
            INSERT INTO job_events (event_id, job_id, tenant, type, attempt, time, payload)
            SELECT e, j, t, ty, a, ti, p::jsonb
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::text[])
                 WITH ORDINALITY AS u(e, j, t, ty, a, ti, p, n)
            ORDER BY n""";
    private static final String OUTBOX = """
            INSERT INTO webhook_deliveries (job_id, tenant, event_id, event_type, url, body, next_attempt_at,
                                            give_up_at, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)
            ON CONFLICT (event_id, url) DO NOTHING""";

    /** One round trip for every payload of the batch (a payload holds about 200 job ids). */
    private static final String NOTIFY = "SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p";

    private final Pool pool;
    private final Duration giveUpAfter;

    public ReadModelStore(Pool pool, WebhooksConfig webhooks) {
        this.pool = pool;
        this.giveUpAfter = webhooks.giveUpAfter();
    }

    /** @return how many events were new (the others were folded before) */
    public Uni<Integer> fold(List<JobEvent> batch) {
        return foldReceived(batch.stream().map(ReceivedEvent::of).toList());
    }

    /** {@link #fold}, storing each event's JSON as received. */
    public Uni<Integer> foldReceived(List<ReceivedEvent> batch) {
        Map<UUID, ReceivedEvent> unique = new LinkedHashMap<>();
        batch.forEach(e -> unique.putIfAbsent(e.event().eventId(), e));
        if (unique.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.withTransaction(conn -> fold(conn, new ArrayList<>(unique.values())));
    }

    private Uni<Integer> fold(SqlConnection conn, List<ReceivedEvent> events) {
        Map<UUID, List<ReceivedEvent>> byJob = new LinkedHashMap<>();
        Map<UUID, JobEvent> earliest = new LinkedHashMap<>();
        for (ReceivedEvent r : events) {
            JobEvent e = r.event();
            byJob.computeIfAbsent(e.jobId(), id -> new ArrayList<>()).add(r);
            earliest.merge(e.jobId(), e, (a, b) -> b.time().isBefore(a.time()) ? b : a);
        }
        UUID[] jobIds = byJob.keySet().toArray(UUID[]::new);
        Tuple upsert = Tuple.tuple()
                .addValue(jobIds)
                .addValue(earliest.values().stream().map(JobEvent::tenant).toArray(String[]::new))
                .addValue(earliest.values().stream().map(e -> utc(e.time())).toArray(OffsetDateTime[]::new));
        UUID[] eventIds = events.stream().map(e -> e.event().eventId()).toArray(UUID[]::new);
        return conn.preparedQuery(UPSERT).execute(upsert)
                .chain(() -> conn.preparedQuery(JobRowColumns.LOCK).execute(Tuple.of(jobIds)))
                .chain(locked -> {
                    Map<UUID, JobRow> rows = new HashMap<>();
                    locked.forEach(r -> rows.put(r.getUUID("id"), JobRowColumns.read(r)));
                    return conn.preparedQuery(KNOWN).execute(Tuple.of(eventIds)).chain(known -> {
                        Set<UUID> seen = new HashSet<>();
                        known.forEach(r -> seen.add(r.getUUID("event_id")));
                        return write(conn, apply(byJob, rows, seen));
                    });
                });
    }

    /** What one batch changes, folded in memory while the rows are locked. */
    private record Changes(List<JobRow> rows, List<ReceivedEvent> history, List<Tuple> deliveries,
            List<JobRow> needTerminal) {
    }

    /** The latest terminal event of each job, for a webhook that was learned of after it. */
    private static final String LATEST_TERMINAL = """
            SELECT DISTINCT ON (job_id) job_id, type, payload FROM job_events
            WHERE job_id = ANY($1) AND type = ANY($2)
            ORDER BY job_id, seq DESC""";
    private static final String[] TERMINAL_TYPES = {EventType.COMPLETED.ceType(), EventType.FAILED.ceType(),
            EventType.CANCELED.ceType()};

    /**
     * Every new event goes to the history; a progress event the job's next new event supersedes (the common case: a
     * batch holds several progress events of a job) is not folded, which ends in the same row (see
     * {@link JobFold#supersedes}).
     */
    private Changes apply(Map<UUID, List<ReceivedEvent>> byJob, Map<UUID, JobRow> rows, Set<UUID> seen) {
        Instant now = Instant.now();
        List<JobRow> changed = new ArrayList<>();
        List<ReceivedEvent> history = new ArrayList<>();
        List<Tuple> deliveries = new ArrayList<>();
        List<JobRow> needTerminal = new ArrayList<>();
        byJob.forEach((jobId, jobEvents) -> {
            JobRow row = rows.get(jobId);
            boolean touched = false;
            JobEvent terminal = null;
            for (int i = 0; i < jobEvents.size(); i++) {
                JobEvent e = jobEvents.get(i).event();
                if (seen.contains(e.eventId())) {
                    continue;
                }
                touched = true;
                history.add(jobEvents.get(i));
                if (e instanceof JobProgress p && nextNew(jobEvents, i, seen) instanceof JobProgress q
                        && JobFold.supersedes(row, q, p)) {
                    JobFold.touch(row, e);
                    continue;
                }
                Folded folded = JobFold.apply(row, e);
                if (folded.kind() == Folded.Notify.TERMINAL) {
                    terminal = e;
                }
                if (folded.kind() == Folded.Notify.EARLIER_TERMINAL) {
                    if (terminal != null) {
                        deliveries.add(delivery(row, terminal, now));
                    } else {
                        needTerminal.add(row);
                    }
                }
                boolean notify = folded.kind() == Folded.Notify.TERMINAL
                        || (folded.kind() == Folded.Notify.PROGRESS && row.webhookProgress);
                if (notify && row.webhookUrl != null) {
                    deliveries.add(delivery(row, e, now));
                }
            }
            if (touched) {
                changed.add(row);
            }
        });
        return new Changes(changed, history, deliveries, needTerminal);
    }

    /** The job's first event after index {@code i} that was not folded before, or null. */
    private static JobEvent nextNew(List<ReceivedEvent> jobEvents, int i, Set<UUID> seen) {
        for (int j = i + 1; j < jobEvents.size(); j++) {
            JobEvent e = jobEvents.get(j).event();
            if (!seen.contains(e.eventId())) {
                return e;
            }
        }
        return null;
    }

    private Tuple delivery(JobRow row, JobEvent e, Instant now) {
        JsonObject body = WebhookBody.of(row, e, now);
        return Tuple.tuple().addValue(row.id).addValue(row.tenant).addValue(e.eventId()).addValue(e.type())
                .addValue(row.webhookUrl).addValue(body).addValue(utc(now)).addValue(utc(now.plus(giveUpAfter)));
    }

    /** Notifications of terminal events folded (in an earlier batch) before the job's webhook was known. */
    private Uni<List<Tuple>> earlierTerminals(SqlConnection conn, List<JobRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<UUID, JobRow> byId = new HashMap<>();
        rows.forEach(r -> byId.put(r.id, r));
        Instant now = Instant.now();
        return conn.preparedQuery(LATEST_TERMINAL)
                .execute(Tuple.tuple().addValue(byId.keySet().toArray(UUID[]::new)).addValue(TERMINAL_TYPES))
                .map(found -> {
                    List<Tuple> deliveries = new ArrayList<>();
                    found.forEach(r -> EventType.fromCeType(r.getString("type")).ifPresent(type -> {
                        JobEvent event = JobEventJson.read(((JsonObject) r.getValue("payload")).toBuffer().getBytes(),
                                type.recordClass());
                        deliveries.add(delivery(byId.get(r.getUUID("job_id")), event, now));
                    }));
                    return deliveries;
                });
    }

    private Uni<Integer> write(SqlConnection conn, Changes changes) {
        if (changes.history().isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Tuple updates = JobRowColumns.bind(changes.rows());
        List<ReceivedEvent> h = changes.history();
        int n = h.size();
        UUID[] eventIds = new UUID[n];
        UUID[] jobIds = new UUID[n];
        String[] tenants = new String[n];
        String[] types = new String[n];
        Integer[] attempts = new Integer[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            JobEvent e = h.get(i).event();
            eventIds[i] = e.eventId();
            jobIds[i] = e.jobId();
            tenants[i] = e.tenant();
            types[i] = e.type();
            attempts[i] = e.attempt();
            times[i] = utc(e.time());
            payloads[i] = h.get(i).payload();
        }
        Tuple history = Tuple.tuple().addValue(eventIds).addValue(jobIds).addValue(tenants).addValue(types)
                .addValue(attempts).addValue(times).addValue(payloads);
        Uni<?> written = conn.preparedQuery(JobRowColumns.UPDATE).execute(updates)
                .chain(() -> conn.preparedQuery(HISTORY).execute(history));
        written = written.chain(() -> earlierTerminals(conn, changes.needTerminal())).chain(earlier -> {
            List<Tuple> deliveries = new ArrayList<>(changes.deliveries());
            deliveries.addAll(earlier);
            return deliveries.isEmpty() ? Uni.createFrom().voidItem()
                    : conn.preparedQuery(OUTBOX).executeBatch(deliveries).replaceWithVoid();
        });
        // Delivered at commit, so job-api's event streams wake once the rows are readable (and never on a rollback).
        String[] notifications = JobEventsChannel.payloads(Arrays.asList(jobIds)).toArray(String[]::new);
        written = written.chain(() -> conn.preparedQuery(NOTIFY)
                .execute(Tuple.of(JobEventsChannel.NAME, notifications)));
        return written.replaceWith(n);
    }

    static OffsetDateTime utc(Instant instant) {
        return JobRowColumns.utc(instant);
    }
}
