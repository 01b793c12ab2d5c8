package dev.framewright.api.tenant;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Registers {@code framewright.auth.bootstrap-keys} (scope {@code submit}) and {@code bootstrap-admin-keys} (scope
 * {@code admin}: the first operator's key, which makes the others through {@code /v1/admin}) at startup (after
 * Flyway created the tables). Entries are
 * {@code tenant:key} or, to keep the plain key out of the configuration, {@code tenant:sha256:<hex>} as
 * {@link KeyMaker} prints it. Existing keys are kept as they are (a revoked one stays revoked).
 */
@ApplicationScoped
public class BootstrapKeys {

    private static final Logger LOG = Logger.getLogger(BootstrapKeys.class);

    /** One parsed entry. */
    record Entry(String tenant, String hash) {
    }

    void onStart(@Observes StartupEvent start, AuthConfig config, ApiKeyStore store) {
        register(config.bootstrapKeys().orElse(List.of()), Scope.SUBMIT, store);
        register(config.bootstrapAdminKeys().orElse(List.of()), Scope.ADMIN, store);
    }

    private static void register(List<String> entries, Scope scope, ApiKeyStore store) {
        for (String raw : entries) {
            Entry entry = parse(raw);
            String bound = store.register(entry.tenant(), entry.hash(), "bootstrap", scope)
                    .await().atMost(Duration.ofSeconds(30));
            if (!bound.equals(entry.tenant())) {
                throw new IllegalStateException("A bootstrap key for tenant '" + entry.tenant()
                        + "' is already bound to tenant '" + bound + "'");
            }
            LOG.infof("Bootstrap API key %s... registered for tenant '%s' (%s)", entry.hash().substring(0, 8),
                    entry.tenant(), scope.wireName());
        }
    }

    static Entry parse(String raw) {
        String text = raw.trim();
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("framewright.auth.bootstrap-keys: expected tenant:key or tenant:sha256:<hex>");
        }
        String tenant = text.substring(0, colon);
        if (!tenant.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("framewright.auth.bootstrap-keys: not a tenant id: " + tenant);
        }
        String secret = text.substring(colon + 1);
        if (secret.startsWith("sha256:")) {
            String hash = secret.substring("sha256:".length()).toLowerCase(java.util.Locale.ROOT);
            if (!ApiKeys.isHash(hash)) {
                throw new IllegalArgumentException("framewright.auth.bootstrap-keys: sha256: needs 64 hex digits");
            }
            return new Entry(tenant, hash);
        }
        if (!ApiKeys.wellFormed(secret)) {
            throw new IllegalArgumentException("framewright.auth.bootstrap-keys: keys look like fw_<hint>_<random>");
        }
        return new Entry(tenant, ApiKeys.hash(secret));
    }
}
