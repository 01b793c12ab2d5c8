package dev.framewright.api.tenant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code tenants} and {@code api_keys} tables (db/job-api/V2, V8). */
@ApplicationScoped
public class ApiKeyStore {

    /**
     * Notified with a key's hash when it is revoked, in the revoking transaction: every job-api instance forgets its
     * cached lookup at once instead of after {@code framewright.auth.cache-ttl}.
     */
    public static final String REVOKED_CHANNEL = "framewright_api_key_revoked";

    /** A stored key with its tenant's limit overrides. */
    public record StoredKey(String hash, String tenant, boolean revoked, Scope scope, TenantLimits limits) {
    }

    /** A key as operators see it: never the key, nor its hash. */
    public record KeyInfo(UUID id, String tenant, String name, Scope scope, Instant createdAt, Instant lastUsedAt,
            Instant revokedAt) {
    }

    /** A tenant and its limit overrides. */
    public record TenantInfo(String id, String name, Instant createdAt, TenantLimits limits, long activeKeys) {
    }

    private final Pool pool;

    public ApiKeyStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<StoredKey>> find(String hash) {
        return pool.preparedQuery("""
                SELECT k.hash, k.tenant, k.revoked_at IS NOT NULL AS revoked, k.scope,
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
                            row.getBoolean("revoked"), Scope.fromWire(row.getString("scope")), limits(row)));
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
    public Uni<String> register(String tenant, String hash, String name, Scope scope) {
        // An admin bootstrap key is raised to admin if it was registered before with less (never lowered).
        String conflict = scope == Scope.ADMIN ? "DO UPDATE SET scope = 'admin' WHERE api_keys.tenant = $2"
                : "DO NOTHING";
        return pool.withTransaction(conn -> conn
                .preparedQuery("INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.of(tenant))
                .chain(() -> conn.preparedQuery("INSERT INTO api_keys (hash, tenant, name, scope) VALUES ($1, $2, $3, $4)"
                        + " ON CONFLICT (hash) " + conflict).execute(Tuple.of(hash, tenant, name, scope.wireName())))
                .chain(() -> conn.preparedQuery("SELECT tenant FROM api_keys WHERE hash = $1").execute(Tuple.of(hash)))
                .map(rows -> rows.iterator().next().getString("tenant")));
    }

    public Uni<Void> touch(String hash) {
        return pool.preparedQuery("UPDATE api_keys SET last_used_at = now() WHERE hash = $1")
                .execute(Tuple.of(hash)).replaceWithVoid();
    }

    /** @return false when the tenant exists already */
    public Uni<Boolean> createTenant(String id, String name, TenantLimits limits) {
        return pool.preparedQuery("""
                INSERT INTO tenants (id, name, requests_per_second, burst, max_queued_jobs) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (id) DO NOTHING""")
                .execute(Tuple.of(id, name, limits.requestsPerSecond(), limits.burst(), limits.maxQueuedJobs()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Replaces the tenant's name (when given) and limit overrides; @return the tenant, empty when unknown. */
    public Uni<Optional<TenantInfo>> updateTenant(String id, String name, TenantLimits limits) {
        return pool.preparedQuery("""
                UPDATE tenants SET name = coalesce($2, name), requests_per_second = $3, burst = $4,
                                   max_queued_jobs = $5
                WHERE id = $1""")
                .execute(Tuple.of(id, name, limits.requestsPerSecond(), limits.burst(), limits.maxQueuedJobs()))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(Optional.<TenantInfo>empty()) : tenant(id));
    }

    private static final String TENANTS = """
            SELECT t.id, t.name, t.created_at, t.requests_per_second, t.burst, t.max_queued_jobs,
                   (SELECT count(*) FROM api_keys k WHERE k.tenant = t.id AND k.revoked_at IS NULL) AS active_keys
            FROM tenants t""";

    public Uni<Optional<TenantInfo>> tenant(String id) {
        return pool.preparedQuery(TENANTS + " WHERE t.id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(tenantInfo(rows.iterator().next()))
                        : Optional.empty());
    }

    public Uni<List<TenantInfo>> tenants() {
        return pool.query(TENANTS + " ORDER BY t.id").execute().map(rows -> {
            List<TenantInfo> all = new ArrayList<>();
            rows.forEach(r -> all.add(tenantInfo(r)));
            return all;
        });
    }

    /** Stores a new key's hash. */
    public Uni<KeyInfo> createKey(String tenant, String hash, String name, Scope scope) {
        return pool.preparedQuery("INSERT INTO api_keys (hash, tenant, name, scope) VALUES ($1, $2, $3, $4)"
                        + " RETURNING " + KEY_COLUMNS)
                .execute(Tuple.of(hash, tenant, name, scope.wireName()))
                .map(rows -> keyInfo(rows.iterator().next()));
    }

    private static final String KEY_COLUMNS = "id, tenant, name, scope, created_at, last_used_at, revoked_at";

    /** The tenant's keys, newest first, revoked ones included. */
    public Uni<List<KeyInfo>> keys(String tenant) {
        return pool.preparedQuery("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE tenant = $1 ORDER BY created_at DESC")
                .execute(Tuple.of(tenant)).map(rows -> {
                    List<KeyInfo> all = new ArrayList<>();
                    rows.forEach(r -> all.add(keyInfo(r)));
                    return all;
                });
    }

    /**
     * Revokes the key and tells every instance, in one transaction (the notification is delivered at commit).
     *
     * @return the key as it is now, empty when there is no such key; revoking twice changes nothing
     */
    public Uni<Optional<KeyInfo>> revoke(UUID id) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
                        RETURNING hash, """ + KEY_COLUMNS).execute(Tuple.of(id))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(Optional.<KeyInfo>empty());
                    }
                    Row row = rows.iterator().next();
                    return conn.preparedQuery("SELECT pg_notify($1, $2)")
                            .execute(Tuple.of(REVOKED_CHANNEL, row.getString("hash")))
                            .map(ok -> Optional.of(keyInfo(row)));
                }));
    }

    private static KeyInfo keyInfo(Row r) {
        return new KeyInfo(r.getUUID("id"), r.getString("tenant"), r.getString("name"),
                Scope.fromWire(r.getString("scope")), instant(r, "created_at"), instant(r, "last_used_at"),
                instant(r, "revoked_at"));
    }

    private static TenantInfo tenantInfo(Row r) {
        return new TenantInfo(r.getString("id"), r.getString("name"), instant(r, "created_at"), limits(r),
                r.getLong("active_keys"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static TenantLimits limits(Row row) {
        return new TenantLimits(row.getInteger("requests_per_second"), row.getInteger("burst"),
                row.getInteger("max_queued_jobs"));
    }
}
