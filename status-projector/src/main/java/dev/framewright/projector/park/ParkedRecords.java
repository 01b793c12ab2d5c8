package dev.framewright.projector.park;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code parked_records} table. Text columns are cleaned of NUL, which PostgreSQL text refuses. */
@ApplicationScoped
public class ParkedRecords {

    /** Bounds for the text columns: an error message quoting a huge value stays readable. */
    private static final int MAX_MESSAGE = 2000;
    private static final int MAX_SHORT = 500;

    private static final String PARK = """
            INSERT INTO parked_records (topic, "partition", "offset", record_key, ce_type, error_class, error_code,
                                        sql_state, error_message, payload, payload_bytes, job_id, tenant)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (topic, "partition", "offset") DO NOTHING
            RETURNING id""";
    private static final String COLUMNS = """
            id, topic, "partition", "offset", record_key, ce_type, error_class, error_code, sql_state, error_message,
            payload, job_id, tenant, parked_at, reapplied_at, reapply_attempts""";

    private final Pool pool;

    public ParkedRecords(Pool pool) {
        this.pool = pool;
    }

    /** @return true when the record was parked now, false when it already was (a re-read after a restart) */
    public Uni<Boolean> park(ParkedRecord r) {
        Tuple t = Tuple.tuple().addValue(clean(r.topic(), MAX_SHORT)).addValue(r.partition()).addValue(r.offset())
                .addValue(clean(r.key(), MAX_SHORT)).addValue(clean(r.ceType(), MAX_SHORT))
                .addValue(r.errorClass()).addValue(r.errorCode()).addValue(r.sqlState())
                .addValue(clean(r.errorMessage(), MAX_MESSAGE))
                .addValue(r.payload() == null ? null : io.vertx.core.buffer.Buffer.buffer(r.payload()))
                .addValue(r.payload() == null ? 0 : r.payload().length)
                .addValue(r.jobId()).addValue(clean(r.tenant(), MAX_SHORT));
        return pool.preparedQuery(PARK).execute(t).map(rows -> rows.size() > 0);
    }

    /** Oldest first, after {@code afterId}; unresolved only unless {@code all}. */
    public Uni<List<ParkedRecord>> list(long afterId, int limit, boolean all) {
        String sql = "SELECT " + COLUMNS + " FROM parked_records WHERE id > $1"
                + (all ? "" : " AND reapplied_at IS NULL") + " ORDER BY id LIMIT $2";
        return pool.preparedQuery(sql).execute(Tuple.of(afterId, limit)).map(rows -> {
            List<ParkedRecord> out = new ArrayList<>();
            rows.forEach(row -> out.add(read(row)));
            return out;
        });
    }

    public Uni<Optional<ParkedRecord>> get(long id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM parked_records WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    public Uni<Void> reapplied(long id) {
        return pool.preparedQuery("""
                UPDATE parked_records SET reapplied_at = now(), reapply_attempts = reapply_attempts + 1
                WHERE id = $1""").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** A re-apply failed again: the record stays parked, with the new reason. */
    public Uni<Void> stillParked(long id, String errorClass, String errorCode, String sqlState, String message) {
        return pool.preparedQuery("""
                UPDATE parked_records SET error_class = $2, error_code = $3, sql_state = $4, error_message = $5,
                  reapply_attempts = reapply_attempts + 1
                WHERE id = $1""")
                .execute(Tuple.of(id, errorClass, errorCode, sqlState, clean(message, MAX_MESSAGE)))
                .replaceWithVoid();
    }

    public Uni<Long> countUnresolved() {
        return pool.query("SELECT count(*) FROM parked_records WHERE reapplied_at IS NULL").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static ParkedRecord read(Row r) {
        Buffer payload = r.getBuffer("payload");
        OffsetDateTime reapplied = r.getOffsetDateTime("reapplied_at");
        return new ParkedRecord(r.getLong("id"), r.getString("topic"), r.getInteger("partition"),
                r.getLong("offset"), r.getString("record_key"), r.getString("ce_type"), r.getString("error_class"),
                r.getString("error_code"), r.getString("sql_state"), r.getString("error_message"),
                payload == null ? null : payload.getBytes(), r.getUUID("job_id"), r.getString("tenant"),
                r.getOffsetDateTime("parked_at").toInstant(), reapplied == null ? null : reapplied.toInstant(),
                r.getInteger("reapply_attempts"));
    }

    /** NUL replaced by U+FFFD (PostgreSQL text cannot hold it), and bounded. */
    static String clean(String s, int max) {
        if (s == null) {
            return null;
        }
        String c = s.replace('\u0000', '\uFFFD');
        return c.length() <= max ? c : c.substring(0, max - 1) + "…";
    }
}
