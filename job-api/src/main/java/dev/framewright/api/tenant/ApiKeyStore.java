package dev.framewright.api.tenant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The {@code tenants} and {@code api_keys} tables (db/job-api/V2). */
@ApplicationScoped
public class ApiKeyStore {

    /** A stored key with its tenant's limit overrides. */
    public record StoredKey(String hash, String tenant, boolean revoked, TenantLimits limits) {
    }

    private final Pool pool;

    public ApiKeyStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<StoredKey>> find(String hash) {
        return pool.preparedQuery("""
                SELECT k.hash, k.tenant, k.revoked_at IS NOT NULL AS revoked,
                       t.requests_per_second, t.burst, t.max_queued_jobs
                FROM api_keys k JOIN tenants t ON t.id = k.tenant
                WHERE k.hash = $1""")
                .execute(Tuple.of(hash))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return Optional.empty();
                    }
                    Row row = it.next();
                    return Optional.of(new StoredKey(row.getString("hash"), row.getString("tenant"),
                            row.getBoolean("revoked"), limits(row)));
                });
    }

    public Uni<TenantLimits> limits(String tenant) {
        return pool.preparedQuery("SELECT requests_per_second, burst, max_queued_jobs FROM tenants WHERE id = $1")
                .execute(Tuple.of(tenant))
                .map(rows -> rows.iterator().hasNext() ? limits(rows.iterator().next()) : TenantLimits.NONE);
    }

    /**
     * Registers a key (by hash) for a tenant, creating the tenant if new. An existing key is left alone, so a
     * revoked bootstrap key stays revoked. Answers the tenant the hash is bound to.
     */
    public Uni<String> register(String tenant, String hash, String name) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.of(tenant))
                .chain(() -> conn.preparedQuery("""
                        INSERT INTO api_keys (hash, tenant, name) VALUES ($1, $2, $3)
                        ON CONFLICT (hash) DO NOTHING""").execute(Tuple.of(hash, tenant, name)))
                .chain(() -> conn.preparedQuery("SELECT tenant FROM api_keys WHERE hash = $1").execute(Tuple.of(hash)))
                .map(rows -> rows.iterator().next().getString("tenant")));
    }

    public Uni<Void> touch(String hash) {
        return pool.preparedQuery("UPDATE api_keys SET last_used_at = now() WHERE hash = $1")
                .execute(Tuple.of(hash)).replaceWithVoid();
    }

    private static TenantLimits limits(Row row) {
        return new TenantLimits(row.getInteger("requests_per_second"), row.getInteger("burst"),
                row.getInteger("max_queued_jobs"));
    }
}
