package dev.framewright.projector.webhook;

import dev.framewright.events.webhook.SecretBox;
import dev.framewright.events.webhook.WebhookSecrets;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;

/**
 * The secrets a tenant's notifications are signed with, read from job-api's {@code webhook_secrets} table through
 * the shared {@link WebhookSecrets} definition and decrypted with the operator's key. Read on every attempt (one
 * primary-key lookup), so a rotation takes effect at the next attempt. A tenant that has not created a secret yet
 * gets the fallback {@code framewright.webhooks.secret} when one is set (development stacks; never in a shared
 * deployment, where it would be the one key every tenant shares), otherwise its attempts fail until it creates one.
 */
@ApplicationScoped
public class SigningSecrets {

    /** The tenant has no secret and there is no fallback: the attempt fails (and is retried). */
    static final class NoSecret extends RuntimeException {
        NoSecret(String tenant) {
            super("tenant " + tenant + " has no webhook signing secret: create one with POST /v1/webhook-secrets");
        }
    }

    private final Pool pool;
    private final Optional<String> fallback;
    private final String encryptionKey;
    private final boolean allowDevSecrets;
    private final SecretBox box;

    @jakarta.inject.Inject
    public SigningSecrets(Pool pool, WebhooksConfig config) {
        this(pool, config.secret(), config.secretKey(), config.allowDevSecrets());
    }

    /** For tests of the start-up check. */
    SigningSecrets(Pool pool, Optional<String> fallback, String encryptionKey, boolean allowDevSecrets) {
        this.pool = pool;
        this.fallback = fallback.filter(s -> !s.isBlank());
        this.encryptionKey = encryptionKey;
        this.allowDevSecrets = allowDevSecrets;
        this.box = SecretBox.of(encryptionKey);
    }

    /** Refuses to start a real deployment with the published development secret or key. */
    void check(@Observes StartupEvent startup) {
        if (!LaunchMode.current().isDevOrTest() && !allowDevSecrets) {
            WebhookSecrets.devDefaultsInUse(fallback, encryptionKey).ifPresent(problem -> {
                throw new IllegalStateException(problem);
            });
        }
    }

    /** Newest first; fails with {@link NoSecret} when there is none to sign with. */
    Uni<List<String>> of(String tenant) {
        return pool.preparedQuery(WebhookSecrets.FOR_SIGNING).execute(Tuple.of(tenant))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return fallbackOr(tenant);
                    }
                    Row row = it.next();
                    byte[] previous = row.getBuffer("previous_secret") == null ? null
                            : row.getBuffer("previous_secret").getBytes();
                    return WebhookSecrets.open(box, tenant, row.getBuffer("secret").getBytes(), previous);
                })
                // job-api creates the table; until it has migrated (either service may start first) no tenant has one.
                .onFailure(e -> e instanceof PgException pg && "42P01".equals(pg.getSqlState()))
                .recoverWithItem(() -> fallbackOr(tenant));
    }

    private List<String> fallbackOr(String tenant) {
        return fallback.map(List::of).orElseThrow(() -> new NoSecret(tenant));
    }
}
