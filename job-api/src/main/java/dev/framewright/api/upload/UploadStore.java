package dev.framewright.api.upload;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The {@code uploads} table: direct uploads a tenant announced, and the job that used each. */
@ApplicationScoped
public class UploadStore {

    /** @param jobId the job that consumed it, or null while unused */
    public record Upload(UUID id, String tenant, String key, String filename, String contentType, long size,
            Instant createdAt, Instant urlExpiresAt, UUID jobId) {
    }

    private final AgroalDataSource db;

    public UploadStore(AgroalDataSource db) {
        this.db = db;
    }

    public void insert(Upload upload) {
        insert(upload, null, null);
    }

    /** @return the tenant's upload, or null (another tenant's upload does not exist) */
    public Upload find(String tenant, UUID id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT id, tenant, key, filename, content_type, size, created_at, url_expires_at, job_id
                FROM uploads WHERE id = ? AND tenant = ?""")) {
            s.setObject(1, id);
            s.setString(2, tenant);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? upload(rs) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading upload " + id, e);
        }
    }

    /** What {@link #claim(String, UUID, UUID)} found: the upload, and whether the job now holds it. */
    public record Claim(Upload upload, boolean claimed) {
    }

    /**
     * Looks up the tenant's upload and marks it used by the job in one statement (one round trip): the UPDATE's
     * guard is what makes an upload single-use; the second branch only tells "used by another job" from "no such
     * upload". Claiming again for the same job succeeds.
     *
     * @return the claim, or null when the tenant has no such upload
     */
    public Claim claim(String tenant, UUID id, UUID jobId) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                WITH claimed AS (
                    UPDATE uploads SET job_id = ? WHERE id = ? AND tenant = ? AND (job_id IS NULL OR job_id = ?)
                    RETURNING id, tenant, key, filename, content_type, size, created_at, url_expires_at, job_id
                )
                SELECT *, true AS claimed FROM claimed
                UNION ALL
                SELECT id, tenant, key, filename, content_type, size, created_at, url_expires_at, job_id, false
                FROM uploads WHERE id = ? AND tenant = ? AND NOT EXISTS (SELECT 1 FROM claimed)""")) {
            s.setObject(1, jobId);
            s.setObject(2, id);
            s.setString(3, tenant);
            s.setObject(4, jobId);
            s.setObject(5, id);
            s.setString(6, tenant);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Claim(upload(rs), rs.getBoolean("claimed")) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Claiming upload " + id, e);
        }
    }

    /** Records the ETag of the object the claiming job is accepted with (what its worker will insist on). */
    public void pin(UUID id, UUID jobId, String etag) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE uploads SET etag = ? WHERE id = ? AND job_id = ?")) {
            s.setString(1, etag);
            s.setObject(2, id);
            s.setObject(3, jobId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Pinning upload " + id, e);
        }
    }

    /** Gives an upload back when the job that claimed it was not accepted after all. */
    public void unclaim(UUID id, UUID jobId) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE uploads SET job_id = NULL, etag = NULL WHERE id = ? AND job_id = ?")) {
            s.setObject(1, id);
            s.setObject(2, jobId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Releasing upload " + id, e);
        }
    }

    /**
     * The multipart side of a direct upload: its S3 upload id and the part size of its plan; {@code completedAt} is
     * null until {@code POST /v1/uploads/{id}/complete} assembled the object.
     */
    public record Multipart(Upload upload, String uploadId, long partSize, Instant completedAt) {

        public PartPlan plan() {
            return new PartPlan(upload.size(), partSize, (int) ((upload.size() + partSize - 1) / partSize));
        }
    }

    /** Records a direct upload that is an S3 multipart upload. */
    public void insertMultipart(Upload upload, String uploadId, long partSize) {
        insert(upload, uploadId, partSize);
    }

    /** @param uploadId the S3 multipart upload's id, null for a single presigned PUT (and partSize null) */
    private void insert(Upload upload, String uploadId, Long partSize) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO uploads (id, tenant, key, filename, content_type, size, created_at, url_expires_at,
                                     multipart_id, part_size)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setObject(1, upload.id());
            s.setString(2, upload.tenant());
            s.setString(3, upload.key());
            s.setString(4, upload.filename());
            s.setString(5, upload.contentType());
            s.setLong(6, upload.size());
            s.setTimestamp(7, Timestamp.from(upload.createdAt()));
            s.setTimestamp(8, Timestamp.from(upload.urlExpiresAt()));
            s.setString(9, uploadId);
            s.setObject(10, partSize, java.sql.Types.BIGINT);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Recording upload " + upload.id(), e);
        }
    }

    /** @return the tenant's upload with its multipart side (null {@code uploadId} for a single PUT), or null */
    public Multipart findWithParts(String tenant, UUID id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT id, tenant, key, filename, content_type, size, created_at, url_expires_at, job_id,
                       multipart_id, part_size, completed_at
                FROM uploads WHERE id = ? AND tenant = ?""")) {
            s.setObject(1, id);
            s.setString(2, tenant);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Timestamp completed = rs.getTimestamp("completed_at");
                return new Multipart(upload(rs), rs.getString("multipart_id"), rs.getLong("part_size"),
                        completed == null ? null : completed.toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading upload " + id, e);
        }
    }

    /** Marks a multipart upload complete (its object assembled); returns when it was, the first time. */
    public Instant complete(UUID id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                UPDATE uploads SET completed_at = coalesce(completed_at, now()) WHERE id = ? RETURNING completed_at""")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Completing upload " + id, e);
        }
    }

    /** A multipart upload nobody completed within its time. */
    public record Abandoned(UUID id, String key, String uploadId) {
    }

    /** Multipart uploads created before {@code cutoff} and never completed (at most {@code limit}). */
    public List<Abandoned> abandoned(Instant cutoff, int limit) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT id, key, multipart_id FROM uploads
                WHERE multipart_id IS NOT NULL AND completed_at IS NULL AND created_at < ?
                ORDER BY created_at LIMIT ?""")) {
            s.setTimestamp(1, Timestamp.from(cutoff));
            s.setInt(2, limit);
            List<Abandoned> found = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(new Abandoned(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("Listing abandoned multipart uploads", e);
        }
    }

    /** Forgets an abandoned multipart upload after its parts were aborted (only while still incomplete). */
    public void deleteAbandoned(UUID id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM uploads WHERE id = ? AND completed_at IS NULL")) {
            s.setObject(1, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Forgetting upload " + id, e);
        }
    }

    /**
     * Removes rows of uploads no job used within a day, returning their keys so the objects can go too. Incomplete
     * multipart uploads are left to {@link #abandoned}: their parts must be aborted, not the object deleted.
     */
    public List<String> purgeUnused() {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                DELETE FROM uploads WHERE job_id IS NULL AND created_at < now() - interval '24 hours'
                    AND (multipart_id IS NULL OR completed_at IS NOT NULL)
                RETURNING key""")) {
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("Purging unused uploads", e);
        }
    }

    private static Upload upload(ResultSet rs) throws SQLException {
        Timestamp created = rs.getTimestamp("created_at");
        Timestamp expires = rs.getTimestamp("url_expires_at");
        return new Upload(rs.getObject("id", UUID.class), rs.getString("tenant"), rs.getString("key"),
                rs.getString("filename"), rs.getString("content_type"), rs.getLong("size"), created.toInstant(),
                expires.toInstant(), rs.getObject("job_id", UUID.class));
    }
}
