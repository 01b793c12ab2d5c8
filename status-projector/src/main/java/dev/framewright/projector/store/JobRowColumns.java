package dev.framewright.projector.store;

import static dev.framewright.events.readmodel.JobsColumn.*;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import dev.framewright.events.InputObject;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.readmodel.JobsColumn;
import dev.framewright.projector.fold.JobRow;
import dev.framewright.projector.fold.OutputState;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Which {@link JobRow} field holds each {@link JobsColumn}: one line a column. The fold's lock, its batch UPDATE, the
 * row reader and the binder are all built from this table, so adding a column is a line here, one in the contract's
 * {@link JobsColumn} and a migration.
 */
final class JobRowColumns {

    private static final JavaType INPUT_TYPE = JsonValues.type(InputObject.class);
    private static final JavaType MEDIA_TYPE = JsonValues.type(MediaInfo.class);
    private static final JavaType OUTPUTS_TYPE = JsonValues.type(
            new TypeReference<List<OutputState>>() { }.getType());
    private static final JavaType LABELS_TYPE = JsonValues.type(
            new TypeReference<LinkedHashMap<String, String>>() { }.getType());
    private static final JavaType NAMES_TYPE = JsonValues.type(new TypeReference<List<String>>() { }.getType());

    /** A column and its field; {@code json} is the field's type for a jsonb column, else null. */
    private record Field<T>(JobsColumn column, Function<JobRow, T> get, BiConsumer<JobRow, T> set, JavaType json) {

        void read(Row r, JobRow row) {
            String name = column.sql();
            Object value = switch (column.type()) {
                case UUID -> r.getUUID(name);
                case TEXT -> r.getString(name);
                case INT -> r.getInteger(name);
                case FLOAT8 -> r.getDouble(name);
                case BOOL -> r.getBoolean(name);
                case TIMESTAMPTZ -> {
                    OffsetDateTime t = r.getOffsetDateTime(name);
                    yield t == null ? null : t.toInstant();
                }
                case JSONB -> JsonValues.fromText(r.getString(name), json);
            };
            @SuppressWarnings("unchecked")
            T typed = (T) value;
            set.accept(row, typed);
        }

        Object[] bind(List<JobRow> rows) {
            Object[] values = switch (column.type()) {
                case UUID -> new UUID[rows.size()];
                case TEXT, JSONB -> new String[rows.size()];
                case INT -> new Integer[rows.size()];
                case FLOAT8 -> new Double[rows.size()];
                case BOOL -> new Boolean[rows.size()];
                case TIMESTAMPTZ -> new OffsetDateTime[rows.size()];
            };
            for (int i = 0; i < values.length; i++) {
                Object value = get.apply(rows.get(i));
                values[i] = switch (column.type()) {
                    case TIMESTAMPTZ -> utc((Instant) value);
                    case JSONB -> JsonValues.toText(value);
                    default -> value;
                };
            }
            return values;
        }

        /** The array type this column travels as in the UPDATE's {@code unnest} (jsonb as text, cast on SET). */
        String arrayType() {
            return switch (column.type()) {
                case UUID -> "uuid[]";
                case TEXT, JSONB -> "text[]";
                case INT -> "int[]";
                case FLOAT8 -> "float8[]";
                case BOOL -> "bool[]";
                case TIMESTAMPTZ -> "timestamptz[]";
            };
        }
    }

    private static final List<Field<?>> FIELDS = List.of(
            field(ID, r -> r.id, (r, v) -> r.id = v),
            field(TENANT, r -> r.tenant, (r, v) -> r.tenant = v),
            field(STATUS, r -> r.status, (r, v) -> r.status = v),
            field(ATTEMPT, r -> r.attempt, (r, v) -> r.attempt = v),
            field(PROGRESS_PERCENT, r -> r.progressPercent, (r, v) -> r.progressPercent = v),
            field(PROGRESS_STAGE, r -> r.progressStage, (r, v) -> r.progressStage = v),
            field(PROGRESS_FPS, r -> r.progressFps, (r, v) -> r.progressFps = v),
            field(PROGRESS_ETA_SECONDS, r -> r.progressEtaSeconds, (r, v) -> r.progressEtaSeconds = v),
            json(INPUT, INPUT_TYPE, r -> r.input, (r, v) -> r.input = (InputObject) v),
            json(INPUT_MEDIA, MEDIA_TYPE, r -> r.inputMedia, (r, v) -> r.inputMedia = (MediaInfo) v),
            json(OUTPUTS, OUTPUTS_TYPE, r -> r.outputs, (r, v) -> r.outputs = v == null ? new ArrayList<>()
                    : new ArrayList<>(JobRowColumns.<List<OutputState>>cast(v))),
            field(ERROR_CODE, r -> r.errorCode, (r, v) -> r.errorCode = v),
            field(ERROR_MESSAGE, r -> r.errorMessage, (r, v) -> r.errorMessage = v),
            field(CREATED_AT, r -> r.createdAt, (r, v) -> r.createdAt = v),
            field(STARTED_AT, r -> r.startedAt, (r, v) -> r.startedAt = v),
            field(FINISHED_AT, r -> r.finishedAt, (r, v) -> r.finishedAt = v),
            field(UPDATED_AT, r -> r.updatedAt, (r, v) -> r.updatedAt = v),
            field(QUEUE, r -> r.queue, (r, v) -> r.queue = v),
            json(LABELS, LABELS_TYPE, r -> r.labels, (r, v) -> r.labels = v == null ? new LinkedHashMap<>()
                    : JobRowColumns.<Map<String, String>>cast(v)),
            field(WEBHOOK_URL, r -> r.webhookUrl, (r, v) -> r.webhookUrl = v),
            field(WEBHOOK_PROGRESS, r -> r.webhookProgress, (r, v) -> r.webhookProgress = Boolean.TRUE.equals(v)),
            field(MAX_DURATION_SECONDS, r -> r.maxDurationSeconds, (r, v) -> r.maxDurationSeconds = v),
            field(EXPIRES_AT, r -> r.expiresAt, (r, v) -> r.expiresAt = v),
            field(EXPIRED_AT, r -> r.expiredAt, (r, v) -> r.expiredAt = v),
            field(CANCELED_AT, r -> r.canceledAt, (r, v) -> r.canceledAt = v),
            field(RETRIED_ATTEMPT, r -> r.retriedAttempt, (r, v) -> r.retriedAttempt = v),
            field(RETRIED_AT, r -> r.retriedAt, (r, v) -> r.retriedAt = v),
            json(RETRIED_OUTPUTS, NAMES_TYPE, r -> r.retriedOutputs,
                    (r, v) -> r.retriedOutputs = JobRowColumns.<List<String>>cast(v)));

    /** Every column of a row in memory is mapped, once, in the contract's order (checked when the class loads). */
    static {
        List<JobsColumn> mapped = FIELDS.stream().map(Field::column).toList();
        if (!mapped.equals(JobsColumn.row())) {
            throw new IllegalStateException("JobRowColumns maps " + mapped + " but the contract's row is "
                    + JobsColumn.row());
        }
    }

    /** The fold rewrites all but the key. */
    private static final List<Field<?>> UPDATED = FIELDS.stream()
            .filter(f -> f.column().owner() != JobsColumn.Owner.KEY).toList();

    /** The rows of a batch, locked in id order (two folds of overlapping batches cannot deadlock). */
    static final String LOCK = "SELECT " + JobsColumn.selectList(JobsColumn.row())
            + " FROM jobs WHERE id = ANY($1) ORDER BY id FOR UPDATE";

    /**
     * Every changed row in one statement (a batch touches hundreds of jobs; one UPDATE each would cost a statement
     * round in PostgreSQL per row). JSON travels as text, written once by Jackson, and is cast here.
     */
    static final String UPDATE = update();

    private JobRowColumns() {
    }

    private static String update() {
        List<Field<?>> bound = new ArrayList<>();
        bound.add(FIELDS.get(0));
        bound.addAll(UPDATED);
        String set = UPDATED.stream().map(f -> f.column().sql() + " = u." + f.column().sql()
                        + (f.column().type() == JobsColumn.SqlType.JSONB ? "::jsonb" : ""))
                .collect(Collectors.joining(", "));
        String arrays = IntStream.range(0, bound.size())
                .mapToObj(i -> "$" + (i + 1) + "::" + bound.get(i).arrayType()).collect(Collectors.joining(", "));
        String names = bound.stream().map(f -> f.column().sql()).collect(Collectors.joining(", "));
        return "UPDATE jobs j SET " + set + " FROM unnest(" + arrays + ") AS u(" + names + ") WHERE j.id = u.id";
    }

    static JobRow read(Row r) {
        JobRow row = new JobRow();
        FIELDS.forEach(f -> f.read(r, row));
        return row;
    }

    /** The rows as the UPDATE's column arrays: the id, then every updated column. */
    static Tuple bind(List<JobRow> rows) {
        Tuple tuple = Tuple.tuple().addValue(FIELDS.get(0).bind(rows));
        UPDATED.forEach(f -> tuple.addValue(f.bind(rows)));
        return tuple;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static <T> Field<T> field(JobsColumn column, Function<JobRow, T> get, BiConsumer<JobRow, T> set) {
        if (column.type() == JobsColumn.SqlType.JSONB) {
            throw new IllegalArgumentException(column + " is jsonb: map it with json(...)");
        }
        return new Field<>(column, get, set, null);
    }

    private static Field<Object> json(JobsColumn column, JavaType type, Function<JobRow, Object> get,
            BiConsumer<JobRow, Object> set) {
        return new Field<>(column, get, set, type);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
