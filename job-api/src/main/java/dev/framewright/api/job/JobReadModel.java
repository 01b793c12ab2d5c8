package dev.framewright.api.job;

import static dev.framewright.events.readmodel.JobsColumn.*;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFile;
import dev.framewright.events.readmodel.JobsColumn;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The {@code jobs} read model (owned and migrated by status-projector), read with JDBC from worker threads. Every
 * query is scoped by tenant: another tenant's job does not exist.
 */
@ApplicationScoped
public class JobReadModel {

    private static final TypeReference<List<StoredOutput>> OUTPUTS_TYPE = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> LABELS_TYPE = new TypeReference<>() {
    };
    /** The stored jsonb is camelCase, written by the contract's mapper; the API's snake_case mapper is not for it. */
    static final ObjectMapper STORED = JobEventJson.mapper();

    /**
     * Every column of a row, as the contract lists them (the projector reads the same list), and the template the
     * job was made from (job-api's own table).
     */
    static final String COLUMNS = JobsColumn.selectList(JobsColumn.row()) + """
            , (SELECT u.name FROM job_template_uses u WHERE u.job_id = jobs.id) AS template_name,
            (SELECT u.version FROM job_template_uses u WHERE u.job_id = jobs.id) AS template_version""";

    private final AgroalDataSource db;

    public JobReadModel(AgroalDataSource db) {
        this.db = db;
    }

    /** @return the tenant's job, or null */
    public JobRow find(String tenant, UUID id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ? AND tenant = ?")) {
            s.setObject(1, id);
            s.setString(2, tenant);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading job " + id, e);
        }
    }

    /**
     * When the job's latest request was made ({@code JobRequested.time}: the submission, or the latest retry the
     * projector folded), or null. A cancel is timed no earlier, so it covers that request whatever the clocks say.
     */
    public Instant latestRequestAt(String tenant, UUID id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT greatest(created_at, retried_at) AS at FROM jobs WHERE id = ? AND tenant = ?")) {
            s.setObject(1, id);
            s.setString(2, tenant);
            try (ResultSet rs = s.executeQuery()) {
                java.sql.Timestamp at = rs.next() ? rs.getTimestamp("at") : null;
                return at == null ? null : at.toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading job " + id, e);
        }
    }

    /**
     * Seeds the queued row so a GET right after the 202 finds the job, with everything the request said. The
     * projector folds the same request idempotently; whichever writes first wins and nothing moves backwards.
     */
    public void seed(JobRow row) {
        Map<JobsColumn, Object> values = new EnumMap<>(JobsColumn.class);
        values.put(ID, row.id());
        values.put(TENANT, row.tenant());
        values.put(STATUS, "queued");
        values.put(QUEUE, row.queue());
        values.put(LABELS, write(row.labels()));
        values.put(ATTEMPT, 0);
        values.put(PROGRESS_PERCENT, 0.0);
        values.put(PROGRESS_STAGE, "queued");
        values.put(INPUT, write(row.input()));
        values.put(OUTPUTS, write(row.outputs()));
        values.put(WEBHOOK_URL, row.webhookUrl());
        values.put(WEBHOOK_PROGRESS, row.webhookProgress());
        values.put(MAX_DURATION_SECONDS, row.maxDurationSeconds());
        values.put(EXPIRES_AT, row.expiresAt() == null ? null : Timestamp.from(row.expiresAt()));
        values.put(CREATED_AT, Timestamp.from(row.createdAt()));
        values.put(UPDATED_AT, Timestamp.from(row.createdAt()));
        List<JobsColumn> columns = List.copyOf(values.keySet());
        String sql = "INSERT INTO jobs (" + columns.stream().map(JobsColumn::sql).collect(Collectors.joining(", "))
                + ") VALUES (" + columns.stream().map(JobsColumn::placeholder).collect(Collectors.joining(", "))
                + ") ON CONFLICT (id) DO NOTHING";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                s.setObject(i + 1, values.get(columns.get(i)));
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Seeding job " + row.id(), e);
        }
    }

    /** One page of a listing, newest first; see {@link JobQuery}. */
    public List<JobRow> list(String tenant, JobQuery query, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE tenant = ?");
        List<Object> params = new ArrayList<>();
        params.add(tenant);
        if (query.status() != null) {
            sql.append(" AND status = ?");
            params.add(query.status());
        }
        if (query.queue() != null) {
            sql.append(" AND queue = ?");
            params.add(query.queue());
        }
        if (!query.labels().isEmpty()) {
            sql.append(" AND labels @> ?::jsonb");
            params.add(write(query.labels()));
        }
        if (query.createdAfter() != null) {
            sql.append(" AND created_at > ?");
            params.add(Timestamp.from(query.createdAfter()));
        }
        if (query.createdBefore() != null) {
            sql.append(" AND created_at < ?");
            params.add(Timestamp.from(query.createdBefore()));
        }
        if (query.after() != null) {
            // Keyset: strictly after the last row of the previous page in (created_at, id) order, so rows inserted
            // meanwhile (all newer) neither shift the page nor repeat.
            sql.append(" AND (created_at, id) < (?, ?)");
            params.add(Timestamp.from(query.after().createdAt()));
            params.add(query.after().id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        params.add(limit);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            List<JobRow> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Listing jobs", e);
        }
    }

    /** The job's webhook deliveries with their attempts, oldest first. */
    public List<JobDocument.Delivery> deliveries(String tenant, UUID jobId) {
        Map<Long, JobDocument.Delivery> deliveries = new LinkedHashMap<>();
        Map<Long, List<JobDocument.Attempt>> attempts = new LinkedHashMap<>();
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT id, event_type, url, status, attempts, last_status, last_error, created_at, next_attempt_at,
                           delivered_at
                    FROM webhook_deliveries WHERE job_id = ? AND tenant = ? ORDER BY id""")) {
                s.setObject(1, jobId);
                s.setString(2, tenant);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong("id");
                        List<JobDocument.Attempt> history = new ArrayList<>();
                        attempts.put(id, history);
                        deliveries.put(id, new JobDocument.Delivery(id, rs.getString("event_type"), rs.getString("url"),
                                rs.getString("status"), rs.getInt("attempts"), (Integer) rs.getObject("last_status"),
                                rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "next_attempt_at"),
                                instant(rs, "delivered_at"), history));
                    }
                }
            }
            if (!deliveries.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("""
                        SELECT a.delivery_id, a.attempt, a.at, a.status, a.error, a.duration_ms
                        FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
                        WHERE d.job_id = ? AND d.tenant = ? ORDER BY a.delivery_id, a.attempt""")) {
                    s.setObject(1, jobId);
                    s.setString(2, tenant);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            attempts.get(rs.getLong("delivery_id")).add(new JobDocument.Attempt(rs.getInt("attempt"),
                                    instant(rs, "at"), (Integer) rs.getObject("status"), rs.getString("error"),
                                    rs.getInt("duration_ms")));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading webhook deliveries of job " + jobId, e);
        }
        return List.copyOf(deliveries.values());
    }

    /**
     * Puts the job's latest webhook delivery back in the dispatcher's queue, with a fresh day to succeed in.
     *
     * @return the delivery's id, or null when the job has none
     */
    public Long redeliver(String tenant, UUID jobId) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(),
                                              give_up_at = now() + interval '24 hours'
                WHERE id = (SELECT max(id) FROM webhook_deliveries WHERE job_id = ? AND tenant = ?)
                RETURNING id""")) {
            s.setObject(1, jobId);
            s.setString(2, tenant);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Redelivering the webhook of job " + jobId, e);
        }
    }

    static JobRow row(ResultSet rs) throws SQLException {
        Map<String, String> labels = read(rs.getString(LABELS.sql()), LABELS_TYPE);
        List<StoredOutput> outputs = read(rs.getString(OUTPUTS.sql()), OUTPUTS_TYPE);
        return new JobRow(rs.getObject(ID.sql(), UUID.class), rs.getString(TENANT.sql()),
                rs.getString(STATUS.sql()), rs.getString(QUEUE.sql()), labels == null ? Map.of() : labels,
                rs.getInt(ATTEMPT.sql()), rs.getDouble(PROGRESS_PERCENT.sql()), rs.getString(PROGRESS_STAGE.sql()),
                (Double) rs.getObject(PROGRESS_FPS.sql()), (Double) rs.getObject(PROGRESS_ETA_SECONDS.sql()),
                read(rs.getString(INPUT.sql()), InputObject.class),
                read(rs.getString(INPUT_MEDIA.sql()), MediaInfo.class), outputs == null ? List.of() : outputs,
                rs.getString(ERROR_CODE.sql()), rs.getString(ERROR_MESSAGE.sql()), rs.getString(WEBHOOK_URL.sql()),
                rs.getBoolean(WEBHOOK_PROGRESS.sql()), (Integer) rs.getObject(MAX_DURATION_SECONDS.sql()),
                instant(rs, CREATED_AT.sql()), instant(rs, STARTED_AT.sql()), instant(rs, FINISHED_AT.sql()),
                instant(rs, EXPIRES_AT.sql()), instant(rs, EXPIRED_AT.sql()), instant(rs, CANCELED_AT.sql()),
                rs.getString("template_name") == null ? null
                        : new JobDocument.Template(rs.getString("template_name"), rs.getInt("template_version")));
    }

    /** The job as clients see it; deliveries null on listings. */
    static JobDocument document(JobRow row, List<JobDocument.Delivery> deliveries) {
        InputObject input = row.input();
        return new JobDocument(row.id(), row.status(), row.queue(), row.labels(),
                new JobDocument.Progress(row.progressPercent(), row.progressStage(), row.progressFps(),
                        row.progressEtaSeconds()),
                row.attempt(), row.createdAt(), row.startedAt(), row.finishedAt(), row.canceledAt(), row.expiresAt(),
                row.expiredAt(), row.maxDurationSeconds(),
                input == null ? null
                        : new JobDocument.Input(input.filename(), input.contentType(), input.size(), row.inputMedia()),
                row.outputs().stream().map(o -> output(row, o)).toList(),
                row.errorCode() == null ? null : new JobDocument.Error(row.errorCode(), row.errorMessage()),
                row.webhookUrl() == null ? null
                        : new JobDocument.Webhook(row.webhookUrl(), row.webhookProgress(), deliveries),
                row.template());
    }

    private static JobDocument.Output output(JobRow job, StoredOutput o) {
        boolean servable = o.succeeded() && !job.expired();
        List<OutputFile> stored = o.files() == null ? List.of() : o.files();
        List<JobDocument.File> files = stored.stream()
                .map(f -> new JobDocument.File(f.path(), f.size(), f.contentType(),
                        servable ? OutputPaths.file(job.id(), o.name(), f.path()) : null))
                .toList();
        OutputFile main = OutputPaths.mainFile(o);
        return new JobDocument.Output(o.name(), o.type(), o.status(), o.progress(), o.spec(),
                servable && main != null ? OutputPaths.file(job.id(), o.name(), main.path()) : null, files,
                o.succeeded() ? (o.fileCount() != null ? o.fileCount() : Integer.valueOf(stored.size())) : null,
                servable && o.manifest() != null ? OutputPaths.manifest(job.id(), o.name()) : null, o.media(),
                o.error() == null ? null : new JobDocument.Error(o.error().code(), o.error().message()));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static String write(Object value) {
        try {
            return value == null ? null : STORED.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return json == null ? null : STORED.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return json == null ? null : STORED.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
