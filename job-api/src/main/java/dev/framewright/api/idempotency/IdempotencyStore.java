package dev.framewright.api.idempotency;

import dev.framewright.api.problem.ApiException;
import dev.framewright.api.problem.Problem;
import dev.framewright.events.rules.ClientText;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * {@code Idempotency-Key}: the first request with a key reserves it (the table's primary key decides between
 * concurrent ones) together with the job id it will create; a later request with the same key and the same body
 * gets the first one's response, a different body a 409. Keys are kept 24 hours.
 *
 * <p>A publish that timed out leaves its outcome unknown: the record may still land. Such a reservation is kept
 * with the event ({@link #markPending}); the next request with the key gets it back in {@link Reserved#pendingEvent}
 * and publishes that same event again, so the job is one job whether the first publish landed or not.
 */
@ApplicationScoped
public class IdempotencyStore {

    static final Duration KEPT = Duration.ofHours(24);
    /** How long a duplicate waits for the first request with its key to finish. */
    static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(15);

    private final AgroalDataSource db;

    public IdempotencyStore(AgroalDataSource db) {
        this.db = db;
    }

    /** The outcome of {@link #reserve}: either this request goes ahead, or it replays the first one's response. */
    public sealed interface Reservation permits Reserved, Replay {
    }

    /**
     * @param pendingEvent the JobRequested (JSON) an earlier request with this key published with an unknown
     *                     outcome; null when this request is the first to try
     */
    public record Reserved(UUID jobId, String pendingEvent) implements Reservation {
    }

    public record Replay(UUID jobId, int status, String body) implements Reservation {
    }

    /** The contract's rule ({@link ClientText#idempotencyKeyProblem}); 400 naming the header otherwise. */
    public static void checkKey(String key) {
        String problem = ClientText.idempotencyKeyProblem(key);
        if (problem != null) {
            throw new ApiException(Problem.of(400, "invalid_idempotency_key", "Invalid Idempotency-Key",
                    "An Idempotency-Key is 1 to 255 visible ASCII characters, e.g. a UUID")
                    .withErrors(List.of(new Problem.FieldError("Idempotency-Key", problem))));
        }
    }

    public Reservation reserve(String tenant, String key, String requestHash) {
        long deadline = System.nanoTime() + WAIT_FOR_FIRST.toNanos();
        UUID jobId = UUID.randomUUID();
        try (Connection c = db.getConnection()) {
            while (true) {
                try (PreparedStatement s = c.prepareStatement("""
                        INSERT INTO idempotency_keys (tenant, key, request_hash, job_id, expires_at)
                        VALUES (?, ?, ?, ?, now() + interval '24 hours') ON CONFLICT (tenant, key) DO NOTHING""")) {
                    s.setString(1, tenant);
                    s.setString(2, key);
                    s.setString(3, requestHash);
                    s.setObject(4, jobId);
                    if (s.executeUpdate() == 1) {
                        return new Reserved(jobId, null);
                    }
                }
                try (PreparedStatement s = c.prepareStatement("""
                        SELECT request_hash, job_id, response_status, response_body, pending_event,
                               expires_at < now() AS expired
                        FROM idempotency_keys WHERE tenant = ? AND key = ?""")) {
                    s.setString(1, tenant);
                    s.setString(2, key);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            continue; // the first request failed and released the key: try to take it
                        }
                        if (rs.getBoolean("expired")) {
                            deleteExpired(c, tenant, key);
                            continue;
                        }
                        if (!rs.getString("request_hash").equals(requestHash)) {
                            throw ApiException.conflict("idempotency_key_reused", "Idempotency-Key reused",
                                    "This Idempotency-Key was used with a different request in the last 24 hours; "
                                            + "use a new key for a new job");
                        }
                        if (rs.getString("response_body") != null) {
                            return new Replay(rs.getObject("job_id", UUID.class), rs.getInt("response_status"),
                                    rs.getString("response_body"));
                        }
                        if (rs.getString("pending_event") != null) {
                            // Concurrent takers both re-publish the same event: consumers drop the duplicate by id.
                            return new Reserved(rs.getObject("job_id", UUID.class), rs.getString("pending_event"));
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw ApiException.conflict("idempotency_key_in_progress", "Request in progress",
                            "A request with this Idempotency-Key is still being processed; retry shortly");
                }
                sleep();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Idempotency key " + key, e);
        }
    }

    /** Records the response the first request answered with, for every repetition. */
    public void complete(String tenant, String key, int status, String body) {
        update("UPDATE idempotency_keys SET response_status = ?, response_body = ? WHERE tenant = ? AND key = ?",
                status, body, tenant, key);
    }

    /**
     * The publish of {@code event} (JSON) timed out: it may still land, so the key stays reserved for this job and
     * the next request with it publishes the same event. Never expired sooner than the key itself.
     */
    public void markPending(String tenant, String key, String event) {
        update("UPDATE idempotency_keys SET pending_event = ? WHERE tenant = ? AND key = ? AND response_body IS NULL",
                event, tenant, key);
    }

    /** The first request failed before a job existed: free the key so a retry with it can succeed. */
    public void release(String tenant, String key) {
        update("DELETE FROM idempotency_keys WHERE tenant = ? AND key = ? AND response_body IS NULL"
                + " AND pending_event IS NULL", tenant, key);
    }

    /** Forgets keys past their 24 hours. */
    public int purgeExpired() {
        return update("DELETE FROM idempotency_keys WHERE expires_at < now()");
    }

    private void deleteExpired(Connection c, String tenant, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM idempotency_keys WHERE tenant = ? AND key = ? AND expires_at < now()")) {
            s.setString(1, tenant);
            s.setString(2, key);
            s.executeUpdate();
        }
    }

    private int update(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for an idempotent request", e);
        }
    }
}
