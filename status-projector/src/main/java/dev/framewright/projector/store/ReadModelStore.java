package dev.framewright.projector.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import dev.framewright.events.EventType;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobEventsChannel;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobProgress;
import dev.framewright.events.MediaInfo;
import dev.framewright.projector.fold.Folded;
import dev.framewright.projector.fold.JobFold;
import dev.framewright.projector.fold.JobRow;
import dev.framewright.projector.fold.OutputState;
import dev.framewright.projector.webhook.WebhookBody;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Folds a batch of events into the read model in one transaction: the job rows, the event history
 * ({@code job_events}, whose unique event id makes a redelivered event change nothing) and the webhook outbox all
 * commit together or not at all.
 */
@ApplicationScoped
public class ReadModelStore {

    private static final JavaType INPUT = JsonValues.type(InputObject.class);
    private static final JavaType MEDIA = JsonValues.type(MediaInfo.class);
    private static final JavaType OUTPUTS = JsonValues.type(new TypeReference<List<OutputState>>() { }.getType());
    private static final JavaType LABELS = JsonValues.type(
            new TypeReference<LinkedHashMap<String, String>>() { }.getType());
    private static final JavaType NAMES = JsonValues.type(new TypeReference<List<String>>() { }.getType());

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
    /** The jsonb columns as text: Jackson parses them once (the client would decode them into its own tree first). */
    private static final String LOCK = """
            SELECT id, tenant, status, attempt, progress_percent, progress_stage, progress_fps, progress_eta_seconds,
              input::text AS input, input_media::text AS input_media, outputs::text AS outputs, error_code,
              error_message, created_at, started_at, finished_at, updated_at, queue, labels::text AS labels,
              webhook_url, webhook_progress, max_duration_seconds, expires_at, expired_at, canceled_at,
              retried_attempt, retried_at, retried_outputs::text AS retried_outputs
            FROM jobs WHERE id = ANY($1) ORDER BY id FOR UPDATE""";
    private static final String KNOWN = "SELECT event_id FROM job_events WHERE event_id = ANY($1)";
    /**
     * Every changed row in one statement (a batch touches hundreds of jobs; one UPDATE each would cost a statement
     * round in PostgreSQL per row). JSON travels as text, written once by Jackson, and is cast here.
     */
    private static final String UPDATE = """
            UPDATE jobs j SET status = u.status, attempt = u.attempt, progress_percent = u.progress_percent,
              progress_stage = u.progress_stage, progress_fps = u.progress_fps,
              progress_eta_seconds = u.progress_eta_seconds, input = u.input::jsonb,
              input_media = u.input_media::jsonb, outputs = u.outputs::jsonb, error_code = u.error_code,
              error_message = u.error_message, created_at = u.created_at, started_at = u.started_at,
              finished_at = u.finished_at, updated_at = u.updated_at, queue = u.queue, labels = u.labels::jsonb,
              webhook_url = u.webhook_url, webhook_progress = u.webhook_progress,
              max_duration_seconds = u.max_duration_seconds, expires_at = u.expires_at, expired_at = u.expired_at,
              canceled_at = u.canceled_at, retried_attempt = u.retried_attempt, retried_at = u.retried_at,
              retried_outputs = u.retried_outputs::jsonb
            FROM unnest($1::uuid[], $2::text[], $3::int[], $4::float8[], $5::text[], $6::float8[], $7::float8[],
                        $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[],
                        $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::text[], $18::text[],
                        $19::text[], $20::bool[], $21::int[], $22::timestamptz[], $23::timestamptz[],
                        $24::timestamptz[], $25::int[], $26::timestamptz[], $27::text[])
                 AS u(id, status, attempt, progress_percent, progress_stage, progress_fps, progress_eta_seconds,
                      input, input_media, outputs, error_code, error_message, created_at, started_at, finished_at,
                      updated_at, queue, labels, webhook_url, webhook_progress, max_duration_seconds, expires_at,
                      expired_at, canceled_at, retried_attempt, retried_at, retried_outputs)
            WHERE j.id = u.id""";
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

    public ReadModelStore(Pool pool,
            @ConfigProperty(name = "framewright.webhooks.give-up-after", defaultValue = "24h") Duration giveUpAfter) {
        this.pool = pool;
        this.giveUpAfter = giveUpAfter;
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
                .chain(() -> conn.preparedQuery(LOCK).execute(Tuple.of(jobIds)))
                .chain(locked -> {
                    Map<UUID, JobRow> rows = new HashMap<>();
                    locked.forEach(r -> rows.put(r.getUUID("id"), read(r)));
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
        Tuple updates = bind(changes.rows());
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
        Uni<?> written = conn.preparedQuery(UPDATE).execute(updates)
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

    static JobRow read(Row r) {
        JobRow row = new JobRow();
        row.id = r.getUUID("id");
        row.tenant = r.getString("tenant");
        row.status = r.getString("status");
        row.attempt = r.getInteger("attempt");
        row.progressPercent = r.getDouble("progress_percent");
        row.progressStage = r.getString("progress_stage");
        row.progressFps = r.getDouble("progress_fps");
        row.progressEtaSeconds = r.getDouble("progress_eta_seconds");
        row.input = JsonValues.fromText(r.getString("input"), INPUT);
        row.inputMedia = JsonValues.fromText(r.getString("input_media"), MEDIA);
        List<OutputState> outputs = JsonValues.fromText(r.getString("outputs"), OUTPUTS);
        row.outputs = outputs == null ? new ArrayList<>() : new ArrayList<>(outputs);
        row.errorCode = r.getString("error_code");
        row.errorMessage = r.getString("error_message");
        row.createdAt = instant(r, "created_at");
        row.startedAt = instant(r, "started_at");
        row.finishedAt = instant(r, "finished_at");
        row.updatedAt = instant(r, "updated_at");
        row.queue = r.getString("queue");
        Map<String, String> labels = JsonValues.fromText(r.getString("labels"), LABELS);
        row.labels = labels == null ? new LinkedHashMap<>() : labels;
        row.webhookUrl = r.getString("webhook_url");
        row.webhookProgress = Boolean.TRUE.equals(r.getBoolean("webhook_progress"));
        row.maxDurationSeconds = r.getInteger("max_duration_seconds");
        row.expiresAt = instant(r, "expires_at");
        row.expiredAt = instant(r, "expired_at");
        row.canceledAt = instant(r, "canceled_at");
        row.retriedAttempt = r.getInteger("retried_attempt");
        row.retriedAt = instant(r, "retried_at");
        row.retriedOutputs = JsonValues.fromText(r.getString("retried_outputs"), NAMES);
        return row;
    }

    /** The rows as the UPDATE's 27 column arrays. */
    private static Tuple bind(List<JobRow> rows) {
        return Tuple.tuple()
                .addValue(column(rows, r -> r.id, UUID[]::new))
                .addValue(column(rows, r -> r.status, String[]::new))
                .addValue(column(rows, r -> r.attempt, Integer[]::new))
                .addValue(column(rows, r -> r.progressPercent, Double[]::new))
                .addValue(column(rows, r -> r.progressStage, String[]::new))
                .addValue(column(rows, r -> r.progressFps, Double[]::new))
                .addValue(column(rows, r -> r.progressEtaSeconds, Double[]::new))
                .addValue(column(rows, r -> JsonValues.toText(r.input), String[]::new))
                .addValue(column(rows, r -> JsonValues.toText(r.inputMedia), String[]::new))
                .addValue(column(rows, r -> JsonValues.toText(r.outputs), String[]::new))
                .addValue(column(rows, r -> r.errorCode, String[]::new))
                .addValue(column(rows, r -> r.errorMessage, String[]::new))
                .addValue(column(rows, r -> utc(r.createdAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> utc(r.startedAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> utc(r.finishedAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> utc(r.updatedAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> r.queue, String[]::new))
                .addValue(column(rows, r -> JsonValues.toText(r.labels), String[]::new))
                .addValue(column(rows, r -> r.webhookUrl, String[]::new))
                .addValue(column(rows, r -> r.webhookProgress, Boolean[]::new))
                .addValue(column(rows, r -> r.maxDurationSeconds, Integer[]::new))
                .addValue(column(rows, r -> utc(r.expiresAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> utc(r.expiredAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> utc(r.canceledAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> r.retriedAttempt, Integer[]::new))
                .addValue(column(rows, r -> utc(r.retriedAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> JsonValues.toText(r.retriedOutputs), String[]::new));
    }

    private static <T> T[] column(List<JobRow> rows, java.util.function.Function<JobRow, T> value,
            java.util.function.IntFunction<T[]> array) {
        return rows.stream().map(value).toArray(array);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
