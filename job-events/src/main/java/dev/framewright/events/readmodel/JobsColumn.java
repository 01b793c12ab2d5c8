package dev.framewright.events.readmodel;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The columns of the {@code jobs} read model, defined once for the two services that share the table: the
 * status-projector migrates and folds it, job-api seeds and reads it. Both build their SQL from this list, so a column
 * is added here (and in a migration) and nowhere else by position; {@code JobsSchemaTest} on each side checks this
 * list against the migrated table.
 */
public enum JobsColumn {
    ID("id", SqlType.UUID, Owner.KEY),
    TENANT("tenant", SqlType.TEXT, Owner.KEY),
    STATUS("status", SqlType.TEXT, Owner.FOLD),
    ATTEMPT("attempt", SqlType.INT, Owner.FOLD),
    PROGRESS_PERCENT("progress_percent", SqlType.FLOAT8, Owner.FOLD),
    PROGRESS_STAGE("progress_stage", SqlType.TEXT, Owner.FOLD),
    PROGRESS_FPS("progress_fps", SqlType.FLOAT8, Owner.FOLD),
    PROGRESS_ETA_SECONDS("progress_eta_seconds", SqlType.FLOAT8, Owner.FOLD),
    INPUT("input", SqlType.JSONB, Owner.FOLD),
    INPUT_MEDIA("input_media", SqlType.JSONB, Owner.FOLD),
    OUTPUTS("outputs", SqlType.JSONB, Owner.FOLD),
    ERROR_CODE("error_code", SqlType.TEXT, Owner.FOLD),
    ERROR_MESSAGE("error_message", SqlType.TEXT, Owner.FOLD),
    CREATED_AT("created_at", SqlType.TIMESTAMPTZ, Owner.FOLD),
    STARTED_AT("started_at", SqlType.TIMESTAMPTZ, Owner.FOLD),
    FINISHED_AT("finished_at", SqlType.TIMESTAMPTZ, Owner.FOLD),
    UPDATED_AT("updated_at", SqlType.TIMESTAMPTZ, Owner.FOLD),
    QUEUE("queue", SqlType.TEXT, Owner.FOLD),
    LABELS("labels", SqlType.JSONB, Owner.FOLD),
    WEBHOOK_URL("webhook_url", SqlType.TEXT, Owner.FOLD),
    WEBHOOK_PROGRESS("webhook_progress", SqlType.BOOL, Owner.FOLD),
    MAX_DURATION_SECONDS("max_duration_seconds", SqlType.INT, Owner.FOLD),
    EXPIRES_AT("expires_at", SqlType.TIMESTAMPTZ, Owner.FOLD),
    EXPIRED_AT("expired_at", SqlType.TIMESTAMPTZ, Owner.FOLD),
    CANCELED_AT("canceled_at", SqlType.TIMESTAMPTZ, Owner.FOLD),
    RETRIED_ATTEMPT("retried_attempt", SqlType.INT, Owner.FOLD),
    RETRIED_AT("retried_at", SqlType.TIMESTAMPTZ, Owner.FOLD),
    RETRIED_OUTPUTS("retried_outputs", SqlType.JSONB, Owner.FOLD),
    HISTORY_PURGED_AT("history_purged_at", SqlType.TIMESTAMPTZ, Owner.RETENTION);

    /** PostgreSQL types of the columns, as {@code information_schema.columns.udt_name} names them. */
    public enum SqlType {
        UUID("uuid"), TEXT("text"), INT("int4"), FLOAT8("float8"), BOOL("bool"), TIMESTAMPTZ("timestamptz"),
        JSONB("jsonb");

        private final String udtName;

        SqlType(String udtName) {
            this.udtName = udtName;
        }

        public String udtName() {
            return udtName;
        }
    }

    /** Who writes the column after the row exists. */
    public enum Owner {
        /** Set when the row is created, never changed. */
        KEY,
        /** The projector's fold ({@code JobRow}); job-api seeds some of them. */
        FOLD,
        /** The projector's retention purge, not the fold. */
        RETENTION
    }

    private final String sql;
    private final SqlType type;
    private final Owner owner;

    JobsColumn(String sql, SqlType type, Owner owner) {
        this.sql = sql;
        this.type = type;
        this.owner = owner;
    }

    public String sql() {
        return sql;
    }

    public SqlType type() {
        return type;
    }

    public Owner owner() {
        return owner;
    }

    /** The column in a select list; jsonb travels as text, so each side parses it once with the contract's mapper. */
    public String selected() {
        return type == SqlType.JSONB ? sql + "::text AS " + sql : sql;
    }

    /** A JDBC placeholder for the column, cast where the driver sends text. */
    public String placeholder() {
        return type == SqlType.JSONB ? "?::jsonb" : "?";
    }

    /** The columns of the key and the fold: what a row in memory holds. */
    public static List<JobsColumn> row() {
        return Arrays.stream(values()).filter(c -> c.owner != Owner.RETENTION).toList();
    }

    /** A select list of {@code columns}, jsonb as text. */
    public static String selectList(List<JobsColumn> columns) {
        return columns.stream().map(JobsColumn::selected).collect(Collectors.joining(", "));
    }
}
