package dev.framewright.api.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobRequested;
import dev.framewright.events.MediaInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** The {@code jobs} read model (owned and migrated by status-projector), read with the reactive PostgreSQL client. */
@ApplicationScoped
public class JobReadModel {

    private static final TypeReference<List<StoredOutput>> OUTPUTS = new TypeReference<>() {
    };
    /** The stored jsonb is camelCase, written by the contract's mapper; the API's snake_case mapper is not for it. */
    private static final ObjectMapper STORED = JobEventJson.mapper();

    private final Pool pool;

    public JobReadModel(Pool pool) {
        this.pool = pool;
    }

    public Uni<JobDocument> find(UUID id) {
        return pool.preparedQuery("""
                        SELECT id, status, attempt, progress_percent, progress_stage, input::text AS input,
                               input_media::text AS input_media, outputs::text AS outputs, error_code, error_message,
                               created_at, started_at, finished_at
                        FROM jobs WHERE id = $1""")
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? toDocument(rows.iterator().next()) : null);
    }

    /**
     * Seeds the queued row so a GET right after the 202 finds the job. The projector folds the same
     * {@link JobRequested} idempotently; whichever writes first wins and nothing moves backwards.
     */
    public Uni<Void> seed(JobRequested requested) {
        List<StoredOutput> outputs = requested.outputs().stream().map(StoredOutput::queued).toList();
        OffsetDateTime at = requested.time().atOffset(ZoneOffset.UTC);
        return pool.preparedQuery("""
                        INSERT INTO jobs (id, tenant, status, attempt, progress_percent, progress_stage, input, outputs,
                                          created_at, updated_at)
                        VALUES ($1, $2, 'queued', 0, 0, 'queued', $3::jsonb, $4::jsonb, $5, $5)
                        ON CONFLICT (id) DO NOTHING""")
                // Bound as Vert.x JSON values: a Java String bound to jsonb would be stored as a JSON string.
                .execute(Tuple.of(requested.jobId(), requested.tenant(), new JsonObject(write(requested.input())),
                        new JsonArray(write(outputs)), at))
                .replaceWithVoid();
    }

    private static JobDocument toDocument(Row row) {
        UUID id = row.getUUID("id");
        String status = row.getString("status");
        InputObject input = read(row.getString("input"), InputObject.class);
        MediaInfo inputMedia = read(row.getString("input_media"), MediaInfo.class);
        List<StoredOutput> outputs = read(row.getString("outputs"), OUTPUTS);
        String errorCode = row.getString("error_code");
        return new JobDocument(id, status,
                new JobDocument.Progress(row.getDouble("progress_percent"), row.getString("progress_stage")),
                row.getInteger("attempt"),
                instant(row, "created_at"), instant(row, "started_at"), instant(row, "finished_at"),
                input == null ? null
                        : new JobDocument.Input(input.filename(), input.contentType(), input.size(), inputMedia),
                outputs == null ? List.of() : outputs.stream().map(o -> toOutput(id, o)).toList(),
                errorCode == null ? null : new JobDocument.Error(errorCode, row.getString("error_message")));
    }

    private static JobDocument.Output toOutput(UUID jobId, StoredOutput o) {
        List<JobDocument.File> files = o.files() == null ? List.of()
                : o.files().stream().map(f -> new JobDocument.File(f.key(), f.size(), f.contentType())).toList();
        String url = "succeeded".equals(o.status()) ? JobResource.outputPath(jobId, o.name()) : null;
        return new JobDocument.Output(o.name(), o.type(), o.status(), o.width(), o.height(), o.atSeconds(), files,
                o.media(), url);
    }

    private static java.time.Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static String write(Object value) {
        try {
            return STORED.writeValueAsString(value);
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
