package dev.framewright.api.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Per-tenant webhook signing secrets (the projector signs with them; see docs/read-model-and-webhooks.md). */
@ConfigMapping(prefix = "framewright.webhooks")
public interface WebhookSecretsConfig {

    /**
     * Base64 of 32 random bytes: the AES-256-GCM key the secrets are stored under, the same in status-projector.
     * The published development key refuses to start outside dev and test unless {@link #allowDevSecrets()}.
     */
    String secretKey();

    /** How long a rotated-out secret keeps signing deliveries beside the new one, so receivers can switch over. */
    @WithDefault("24h")
    Duration rotationOverlap();

    /** Only the development stacks set this: they run the packaged services with the published development key. */
    @WithDefault("false")
    boolean allowDevSecrets();
}
