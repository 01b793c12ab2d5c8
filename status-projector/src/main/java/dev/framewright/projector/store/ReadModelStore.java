package dev.framewright.projector.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.framewright.events.EventType;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobEvent;
import dev.framewright.events.MediaInfo;
import dev.framewright.projector.fold.Folded;
import dev.framewright.projector.fold.JobFold;
import dev.framewright.projector.fold.JobRow;
import dev.framewright.projector.fold.OutputState;
import dev.framewright.projector.webhook.WebhookBody;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

    private static final Type OUTPUTS = new TypeReference<List<OutputState>>() { }.getType();
    private static final Type LABELS = new TypeReference<LinkedHashMap<String, String>>() { }.getType();
    private static final Type NAMES = new TypeReference<List<String>>() { }.getType();

    static final String COLUMNS = """
            id, tenant, status, attempt, progress_percent, progress_stage, progress_fps, progress_eta_seconds, input,
            input_media, outputs, error_code, error_message, created_at, started_at, finished_at, updated_at, queue,
            labels, webhook_url, webhook_progress, max_duration_seconds, expires_at, expired_at, canceled_at,
            retried_attempt, retried_at, retried_outputs""";

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
    private static final String LOCK = "SELECT " + COLUMNS + " FROM jobs WHERE id = ANY($1) ORDER BY id FOR UPDATE";
    private static final String KNOWN = "SELECT event_id FROM job_events WHERE event_id = ANY($1)";
    /**
     * Every changed row in one statement (a batch touches hundreds of jobs; one UPDATE each would cost a statement
     * round in PostgreSQL per row). jsonb arrays carry JSON null for SQL NULL, hence the NULLIFs.
     */
    private static final String UPDATE = """
            UPDATE jobs j SET status = u.status, attempt = u.attempt, progress_percent = u.progress_percent,
              progress_stage = u.progress_stage, progress_fps = u.progress_fps,
              progress_eta_seconds = u.progress_eta_seconds, input = NULLIF(u.input, 'null'),
              input_media = NULLIF(u.input_media, 'null'), outputs = u.outputs, error_code = u.error_code,
              error_message = u.error_message, created_at = u.created_at, started_at = u.started_at,
              finished_at = u.finished_at, updated_at = u.updated_at, queue = u.queue, labels = u.labels,
              webhook_url = u.webhook_url, webhook_progress = u.webhook_progress,
              max_duration_seconds = u.max_duration_seconds, expires_at = u.expires_at, expired_at = u.expired_at,
              canceled_at = u.canceled_at, retried_attempt = u.retried_attempt, retried_at = u.retried_at,
              retried_outputs = NULLIF(u.retried_outputs, 'null')
            FROM unnest($1::uuid[], $2::text[], $3::int[], $4::float8[], $5::text[], $6::float8[], $7::float8[],
                        $8::jsonb[], $9::jsonb[], $10::jsonb[], $11::text[], $12::text[], $13::timestamptz[],
                        $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::text[], $18::jsonb[],
                        $19::text[], $20::bool[], $21::int[], $22::timestamptz[], $23::timestamptz[],
                        $24::timestamptz[], $25::int[], $26::timestamptz[], $27::jsonb[])
                 AS u(id, status, attempt, progress_percent, progress_stage, progress_fps, progress_eta_seconds,
                      input, input_media, outputs, error_code, error_message, created_at, started_at, finished_at,
                      updated_at, queue, labels, webhook_url, webhook_progress, max_duration_seconds, expires_at,
                      expired_at, canceled_at, retried_attempt, retried_at, retried_outputs)
            WHERE j.id = u.id""";
    /** One statement for the whole batch; seq follows the fold order. */
    private static final String HISTORY = """
            INSERT INTO job_events (event_id, job_id, tenant, type, attempt, time, payload)
            SELECT e, j, t, ty, a, ti, p
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::jsonb[])
                 WITH ORDINALITY AS u(e, j, t, ty, a, ti, p, n)
            ORDER BY n""";
    private static final String OUTBOX = """
            INSERT INTO webhook_deliveries (job_id, tenant, event_id, event_type, url, body, next_attempt_at,
                                            give_up_at, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)
            ON CONFLICT (event_id, url) DO NOTHING""";

    private final Pool pool;
    private final Duration giveUpAfter;

    public ReadModelStore(Pool pool,
            @ConfigProperty(name = "framewright.webhooks.give-up-after", defaultValue = "24h") Duration giveUpAfter) {
        this.pool = pool;
        this.giveUpAfter = giveUpAfter;
    }

    /** @return how many events were new (the others were folded before) */
    public Uni<Integer> fold(List<JobEvent> batch) {
        Map<UUID, JobEvent> unique = new LinkedHashMap<>();
        batch.forEach(e -> unique.putIfAbsent(e.eventId(), e));
        if (unique.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.withTransaction(conn -> fold(conn, new ArrayList<>(unique.values())));
    }

    private Uni<Integer> fold(SqlConnection conn, List<JobEvent> events) {
        Map<UUID, List<JobEvent>> byJob = new LinkedHashMap<>();
        Map<UUID, JobEvent> earliest = new LinkedHashMap<>();
        for (JobEvent e : events) {
            byJob.computeIfAbsent(e.jobId(), id -> new ArrayList<>()).add(e);
            earliest.merge(e.jobId(), e, (a, b) -> b.time().isBefore(a.time()) ? b : a);
        }
        UUID[] jobIds = byJob.keySet().toArray(UUID[]::new);
        Tuple upsert = Tuple.tuple()
                .addValue(jobIds)
                .addValue(earliest.values().stream().map(JobEvent::tenant).toArray(String[]::new))
                .addValue(earliest.values().stream().map(e -> utc(e.time())).toArray(OffsetDateTime[]::new));
        UUID[] eventIds = events.stream().map(JobEvent::eventId).toArray(UUID[]::new);
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
    private record Changes(List<JobRow> rows, List<JobEvent> history, List<Tuple> deliveries,
            List<JobRow> needTerminal) {
    }

    /** The latest terminal event of each job, for a webhook that was learned of after it. */
    private static final String LATEST_TERMINAL = """
            SELECT DISTINCT ON (job_id) job_id, type, payload FROM job_events
            WHERE job_id = ANY($1) AND type = ANY($2)
            ORDER BY job_id, seq DESC""";
    private static final String[] TERMINAL_TYPES = {EventType.COMPLETED.ceType(), EventType.FAILED.ceType(),
            EventType.CANCELED.ceType()};

    private Changes apply(Map<UUID, List<JobEvent>> byJob, Map<UUID, JobRow> rows, Set<UUID> seen) {
        Instant now = Instant.now();
        List<JobRow> changed = new ArrayList<>();
        List<JobEvent> history = new ArrayList<>();
        List<Tuple> deliveries = new ArrayList<>();
        List<JobRow> needTerminal = new ArrayList<>();
        byJob.forEach((jobId, jobEvents) -> {
            JobRow row = rows.get(jobId);
            boolean touched = false;
            JobEvent terminal = null;
            for (JobEvent e : jobEvents) {
                if (seen.contains(e.eventId())) {
                    continue;
                }
                touched = true;
                history.add(e);
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
        List<JobEvent> h = changes.history();
        Tuple history = Tuple.tuple()
                .addValue(h.stream().map(JobEvent::eventId).toArray(UUID[]::new))
                .addValue(h.stream().map(JobEvent::jobId).toArray(UUID[]::new))
                .addValue(h.stream().map(JobEvent::tenant).toArray(String[]::new))
                .addValue(h.stream().map(JobEvent::type).toArray(String[]::new))
                .addValue(h.stream().map(JobEvent::attempt).toArray(Integer[]::new))
                .addValue(h.stream().map(e -> utc(e.time())).toArray(OffsetDateTime[]::new))
                .addValue(h.stream().map(JsonValues::toJsonObject).toArray(JsonObject[]::new));
        Uni<?> written = conn.preparedQuery(UPDATE).execute(updates)
                .chain(() -> conn.preparedQuery(HISTORY).execute(history));
        written = written.chain(() -> earlierTerminals(conn, changes.needTerminal())).chain(earlier -> {
            List<Tuple> deliveries = new ArrayList<>(changes.deliveries());
            deliveries.addAll(earlier);
            return deliveries.isEmpty() ? Uni.createFrom().voidItem()
                    : conn.preparedQuery(OUTBOX).executeBatch(deliveries).replaceWithVoid();
        });
        return written.replaceWith(h.size());
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
        row.input = JsonValues.fromJson(json(r, "input"), InputObject.class);
        row.inputMedia = JsonValues.fromJson(json(r, "input_media"), MediaInfo.class);
        List<OutputState> outputs = JsonValues.fromJson(json(r, "outputs"), OUTPUTS);
        row.outputs = outputs == null ? new ArrayList<>() : new ArrayList<>(outputs);
        row.errorCode = r.getString("error_code");
        row.errorMessage = r.getString("error_message");
        row.createdAt = instant(r, "created_at");
        row.startedAt = instant(r, "started_at");
        row.finishedAt = instant(r, "finished_at");
        row.updatedAt = instant(r, "updated_at");
        row.queue = r.getString("queue");
        Map<String, String> labels = JsonValues.fromJson(json(r, "labels"), LABELS);
        row.labels = labels == null ? new LinkedHashMap<>() : labels;
        row.webhookUrl = r.getString("webhook_url");
        row.webhookProgress = Boolean.TRUE.equals(r.getBoolean("webhook_progress"));
        row.maxDurationSeconds = r.getInteger("max_duration_seconds");
        row.expiresAt = instant(r, "expires_at");
        row.expiredAt = instant(r, "expired_at");
        row.canceledAt = instant(r, "canceled_at");
        row.retriedAttempt = r.getInteger("retried_attempt");
        row.retriedAt = instant(r, "retried_at");
        row.retriedOutputs = JsonValues.fromJson(json(r, "retried_outputs"), NAMES);
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
                .addValue(column(rows, r -> (JsonObject) JsonValues.toJson(r.input), JsonObject[]::new))
                .addValue(column(rows, r -> (JsonObject) JsonValues.toJson(r.inputMedia), JsonObject[]::new))
                .addValue(column(rows, r -> (JsonArray) JsonValues.toJson(r.outputs), JsonArray[]::new))
                .addValue(column(rows, r -> r.errorCode, String[]::new))
                .addValue(column(rows, r -> r.errorMessage, String[]::new))
                .addValue(column(rows, r -> utc(r.createdAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> utc(r.startedAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> utc(r.finishedAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> utc(r.updatedAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> r.queue, String[]::new))
                .addValue(column(rows, r -> (JsonObject) JsonValues.toJson(r.labels), JsonObject[]::new))
                .addValue(column(rows, r -> r.webhookUrl, String[]::new))
                .addValue(column(rows, r -> r.webhookProgress, Boolean[]::new))
                .addValue(column(rows, r -> r.maxDurationSeconds, Integer[]::new))
                .addValue(column(rows, r -> utc(r.expiresAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> utc(r.expiredAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> utc(r.canceledAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> r.retriedAttempt, Integer[]::new))
                .addValue(column(rows, r -> utc(r.retriedAt), OffsetDateTime[]::new))
                .addValue(column(rows, r -> (JsonArray) JsonValues.toJson(r.retriedOutputs), JsonArray[]::new));
    }

    private static <T> T[] column(List<JobRow> rows, java.util.function.Function<JobRow, T> value,
            java.util.function.IntFunction<T[]> array) {
        return rows.stream().map(value).toArray(array);
    }

    /** A jsonb column as JsonObject/JsonArray; SQL NULL and JSON null both read as null. */
    private static Object json(Row r, String column) {
        Object value = r.getValue(column);
        return value instanceof JsonObject || value instanceof JsonArray ? value : null;
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
