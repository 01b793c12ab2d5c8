package dev.framewright.api.template;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The {@code job_templates} table: each tenant's named job specs, versioned; and which version each job used. */
@ApplicationScoped
public class TemplateStore {

    /** One version of a template; {@code spec} is its JSON as checked when it was created. */
    public record Template(String tenant, String name, int version, String spec, Instant createdAt) {
    }

    private static final int ATTEMPTS = 5;

    private final AgroalDataSource db;

    public TemplateStore(AgroalDataSource db) {
        this.db = db;
    }

    /**
     * Adds the next version of the tenant's template {@code name} (1 for a new name). Two concurrent creations
     * cannot take the same version: the primary key refuses the second, which takes the next one.
     */
    public Template create(String tenant, String name, String spec) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                    INSERT INTO job_templates (tenant, name, version, spec)
                    SELECT ?, ?, coalesce(max(version), 0) + 1, ? FROM job_templates WHERE tenant = ? AND name = ?
                    RETURNING tenant, name, version, spec, created_at""")) {
                s.setString(1, tenant);
                s.setString(2, name);
                s.setString(3, spec);
                s.setString(4, tenant);
                s.setString(5, name);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return template(rs);
                }
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState()) || attempt >= ATTEMPTS) {
                    throw new IllegalStateException("Creating template " + name, e);
                }
            }
        }
    }

    /** @param version null for the latest; @return the tenant's template, or null */
    public Template find(String tenant, String name, Integer version) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT tenant, name, version, spec, created_at FROM job_templates
                WHERE tenant = ? AND name = ? AND (?::integer IS NULL OR version = ?::integer)
                ORDER BY version DESC LIMIT 1""")) {
            s.setString(1, tenant);
            s.setString(2, name);
            s.setObject(3, version);
            s.setObject(4, version);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? template(rs) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading template " + name, e);
        }
    }

    /** The latest version of each of the tenant's templates, by name. */
    public List<Template> latest(String tenant) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT DISTINCT ON (name) tenant, name, version, spec, created_at FROM job_templates
                WHERE tenant = ? ORDER BY name, version DESC""")) {
            s.setString(1, tenant);
            List<Template> found = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(template(rs));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("Listing templates", e);
        }
    }

    /** Records the template version a job was made from (again for the same job: no change). */
    public void used(UUID jobId, String tenant, String name, int version) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO job_template_uses (job_id, tenant, name, version) VALUES (?, ?, ?, ?)
                ON CONFLICT (job_id) DO NOTHING""")) {
            s.setObject(1, jobId);
            s.setString(2, tenant);
            s.setString(3, name);
            s.setInt(4, version);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Recording the template of job " + jobId, e);
        }
    }

    /** @return the template version job {@code jobId} was made from, or null */
    public dev.framewright.api.job.JobDocument.Template usedBy(UUID jobId) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT name, version FROM job_template_uses WHERE job_id = ?")) {
            s.setObject(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new dev.framewright.api.job.JobDocument.Template(rs.getString(1), rs.getInt(2)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the template of job " + jobId, e);
        }
    }

    private static Template template(ResultSet rs) throws SQLException {
        return new Template(rs.getString("tenant"), rs.getString("name"), rs.getInt("version"), rs.getString("spec"),
                rs.getTimestamp("created_at").toInstant());
    }
}
