package dev.framewright.api.webhook;

import dev.framewright.events.webhook.SecretBox;
import dev.framewright.events.webhook.WebhookSecrets;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code webhook_secrets} table (db/job-api/V3), through the SQL job-api and the projector share
 * ({@link WebhookSecrets}). Secrets are sealed with the operator's key before they are written; job-api never reads
 * one back.
 */
@ApplicationScoped
public class WebhookSecretStore {

    /** What a tenant may see of its secrets: never a secret. {@code previous*} are null when there is none. */
    public record Description(String id, String prefix, Instant createdAt, String previousId, String previousPrefix,
            Instant previousExpiresAt) {
    }

    /** A new secret, the only time its plaintext exists outside the projector's memory. */
    public record Created(String secret, Description description) {
    }

    private final Pool pool;
    private final WebhookSecretsConfig config;
    private final SecretBox box;

    public WebhookSecretStore(Pool pool, WebhookSecretsConfig config) {
        this.pool = pool;
        this.config = config;
        this.box = SecretBox.of(config.secretKey());
    }

    /** Refuses to start a real deployment with the published development key. */
    void check(@Observes StartupEvent startup) {
        if (!LaunchMode.current().isDevOrTest() && !config.allowDevSecrets()) {
            WebhookSecrets.devDefaultsInUse(Optional.empty(), config.secretKey()).ifPresent(problem -> {
                throw new IllegalStateException(problem);
            });
        }
    }

    /** Creates the tenant's first secret, or replaces it; the old one signs too for {@code overlap}. */
    public Uni<Created> rotate(String tenant, Duration overlap) {
        String secret = WebhookSecrets.generate();
        return pool.preparedQuery(WebhookSecrets.ROTATE)
                .execute(Tuple.tuple().addValue(tenant).addValue(WebhookSecrets.newId())
                        .addValue(WebhookSecrets.shown(secret)).addBuffer(Buffer.buffer(box.seal(secret, tenant)))
                        .addValue((double) overlap.toSeconds()))
                .map(rows -> new Created(secret, describe(rows.iterator().next())));
    }

    public Uni<Optional<Description>> find(String tenant) {
        return pool.preparedQuery(WebhookSecrets.DESCRIBE).execute(Tuple.of(tenant))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(describe(rows.iterator().next()))
                        : Optional.empty());
    }

    private static Description describe(Row row) {
        Instant previousExpires = row.getOffsetDateTime("previous_expires_at") == null ? null
                : row.getOffsetDateTime("previous_expires_at").toInstant();
        boolean previousValid = previousExpires != null && previousExpires.isAfter(Instant.now());
        return new Description(row.getString("id"), row.getString("prefix"),
                row.getOffsetDateTime("created_at").toInstant(),
                previousValid ? row.getString("previous_id") : null,
                previousValid ? row.getString("previous_prefix") : null,
                previousValid ? previousExpires : null);
    }
}
