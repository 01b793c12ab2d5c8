package dev.framewright.api.tenant;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Resolves a presented API key to its tenant. Lookups (hits and misses) are cached for
 * {@code framewright.auth.cache-ttl}, so a busy client costs no database round trip per request. A key revoked
 * through the admin API is forgotten at once by every instance (a notification, see {@link ApiKeyStore}); one
 * revoked by hand in SQL stops working within the cache time.
 */
@ApplicationScoped
public class Authenticator {

    /** A key that may act: its tenant, its scope and that tenant's limit overrides. */
    public record Principal(String tenant, Scope scope, TenantLimits limits) {
    }

    private static final Logger LOG = Logger.getLogger(Authenticator.class);
    /** last_used_at is bookkeeping for operators: once a minute per key is plenty. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final ApiKeyStore store;
    private final AsyncLoadingCache<String, Optional<ApiKeyStore.StoredKey>> keys;
    private final AsyncLoadingCache<String, TenantLimits> tenants;
    private final ConcurrentHashMap<String, Long> touched = new ConcurrentHashMap<>();

    public Authenticator(ApiKeyStore store, AuthConfig config) {
        this.store = store;
        // Bounded, so a flood of random well-formed keys cannot grow memory without end.
        this.keys = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.cacheTtl())
                .buildAsync((hash, executor) -> store.find(hash).subscribeAsCompletionStage());
        this.tenants = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.cacheTtl())
                .buildAsync((tenant, executor) -> store.limits(tenant).subscribeAsCompletionStage());
    }

    /** The key's principal, or empty when the key is malformed, unknown or revoked. Fails if the store is down. */
    public Uni<Optional<Principal>> authenticate(String presentedKey) {
        if (!ApiKeys.wellFormed(presentedKey)) {
            return Uni.createFrom().item(Optional.empty());
        }
        String hash = ApiKeys.hash(presentedKey);
        return Uni.createFrom().completionStage(() -> keys.get(hash)).map(found -> found
                // The lookup was by hash; the constant-time re-check keeps that true if lookups ever change.
                .filter(k -> !k.revoked() && ApiKeys.sameHash(k.hash(), hash))
                .map(k -> {
                    touch(hash);
                    return new Principal(k.tenant(), k.scope(), k.limits());
                }));
    }

    /** The tenant's limit overrides, cached like keys. */
    public Uni<TenantLimits> limits(String tenant) {
        return Uni.createFrom().completionStage(() -> tenants.get(tenant));
    }

    /** Forgets every cached lookup (tests, after a reconnect of the revocation listener, after SQL by hand). */
    public void invalidateAll() {
        keys.synchronous().invalidateAll();
        tenants.synchronous().invalidateAll();
    }

    /** Forgets one key (revoked, on this instance or another: {@link ApiKeyStore#REVOKED_CHANNEL}). */
    public void forgetHash(String hash) {
        if (ApiKeys.isHash(hash)) {
            keys.synchronous().invalidate(hash);
        }
    }

    /** Forgets a tenant's cached limit overrides (changed through the admin API). */
    public void forgetTenant(String tenant) {
        tenants.synchronous().invalidate(tenant);
    }

    private void touch(String hash) {
        long now = System.nanoTime();
        Long last = touched.get(hash);
        if (last != null && now - last < TOUCH_EVERY.toNanos()) {
            return;
        }
        touched.put(hash, now);
        if (touched.size() > 100_000) {
            touched.clear();
        }
        store.touch(hash).subscribe().with(ok -> {
        }, e -> LOG.debugf(e, "Could not record the use of a key"));
    }
}
