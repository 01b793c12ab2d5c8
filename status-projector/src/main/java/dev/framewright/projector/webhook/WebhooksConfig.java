package dev.framewright.projector.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Webhook delivery settings (environment {@code FRAMEWRIGHT_WEBHOOKS_...}; application.properties keeps only the
 * expansions of older environment names and the test profile's values). Defaults live here, once.
 */
@ConfigMapping(prefix = "framewright.webhooks")
public interface WebhooksConfig {

    /** Whether this instance delivers at all (the outbox fills either way). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Encrypts the tenants' signing secrets (job-api's {@code webhook_secrets}): base64 of 32 random bytes, the same
     * in job-api. The published development key refuses to start outside dev and test unless {@link #allowDevSecrets}.
     */
    String secretKey();

    /** Lets a development stack run with the published development key and secret. */
    @WithDefault("false")
    boolean allowDevSecrets();

    /**
     * Signs the notifications of a tenant without a secret of its own. Unset: its attempts fail (and are retried)
     * until it creates one. A shared deployment leaves it unset.
     */
    Optional<String> secret();

    /** A delivery not acknowledged within this long after it was queued is given up. */
    @WithDefault("24h")
    Duration giveUpAfter();

    /** The first retry's delay; it doubles per attempt, with jitter. */
    @WithDefault("5s")
    Duration backoffBase();

    /** The longest delay between two attempts. */
    @WithDefault("1h")
    Duration backoffCap();

    /** Connect and response timeout of one attempt. */
    @WithDefault("10s")
    Duration timeout();

    /** Requests in flight at once per projector instance. */
    @WithDefault("16")
    int maxInFlight();

    /** Of those, at most this many for one tenant: one tenant's slow receivers never hold every slot. */
    @WithDefault("4")
    int maxInFlightPerTenant();

    /** How often the outbox is polled for due deliveries. */
    @WithDefault("500ms")
    Duration pollInterval();

    /** Allows loopback, private and link-local destinations (development stacks only; SSRF otherwise). */
    @WithDefault("false")
    boolean allowPrivateNetworks();

    /** How often the backlog gauges (webhooks, parked records) are read from the database. */
    @WithDefault("15s")
    Duration metricsInterval();
}
