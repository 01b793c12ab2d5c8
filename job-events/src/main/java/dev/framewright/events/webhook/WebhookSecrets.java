package dev.framewright.events.webhook;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-tenant webhook signing secrets: their format, the development defaults a real deployment must not run with,
 * and the {@value #TABLE} table, which job-api owns (Flyway {@code db/job-api/V3}) and status-projector reads. Both
 * use the SQL here, so the column list has one definition.
 */
public final class WebhookSecrets {

    public static final String TABLE = "webhook_secrets";

    /** What every generated secret starts with, so secret scanners and humans recognise one. */
    public static final String SECRET_PREFIX = "whsec_";
    static final int RANDOM_LENGTH = 40;
    /** How much of a secret is shown after creation: the prefix and 6 random characters. */
    static final int SHOWN_LENGTH = SECRET_PREFIX.length() + 6;

    /** The fallback secret of the development stacks; refused outside them. */
    public static final String DEV_FALLBACK_SECRET = "whsec_dev";
    /**
     * The encryption key of the development stacks (base64 of "framewright-dev-webhook-key-0000"): published, so
     * refused outside them.
     */
    public static final String DEV_ENCRYPTION_KEY = "ZnJhbWV3cmlnaHQtZGV2LXdlYmhvb2sta2V5LTAwMDA=";

    /**
     * Creates the tenant's secret, or rotates it: the current one becomes the previous one, valid until
     * {@code now() + $5 seconds} (0: not at all). A third secret within one overlap drops the oldest.
     * Parameters: tenant, id, prefix, sealed secret, overlap seconds.
     */
    public static final String ROTATE = """
            INSERT INTO webhook_secrets AS w (tenant, id, prefix, secret, created_at)
            VALUES ($1, $2, $3, $4, now())
            ON CONFLICT (tenant) DO UPDATE SET
              previous_id = w.id, previous_prefix = w.prefix, previous_secret = w.secret,
              previous_expires_at = now() + make_interval(secs => $5),
              id = excluded.id, prefix = excluded.prefix, secret = excluded.secret, created_at = excluded.created_at
            RETURNING id, prefix, created_at, previous_id, previous_prefix, previous_expires_at""";

    /** What a tenant may see of its secrets (never the secrets). Parameter: tenant. */
    public static final String DESCRIBE = """
            SELECT id, prefix, created_at, previous_id, previous_prefix, previous_expires_at
            FROM webhook_secrets WHERE tenant = $1""";

    /** The sealed secrets to sign with: the current one, and the previous one while its overlap lasts. */
    public static final String FOR_SIGNING = """
            SELECT secret, CASE WHEN previous_expires_at > now() THEN previous_secret END AS previous_secret
            FROM webhook_secrets WHERE tenant = $1""";

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {
    }

    /** A new secret: {@code whsec_} and 40 random base62 characters (about 238 bits). */
    public static String generate() {
        return SECRET_PREFIX + random(RANDOM_LENGTH);
    }

    /** A public id for a secret, to tell which one a receiver holds without showing it. */
    public static String newId() {
        return "whk_" + random(16);
    }

    /** The part of a secret that may be shown again: {@code whsec_} and its first 6 random characters. */
    public static String shown(String secret) {
        return secret.substring(0, Math.min(secret.length(), SHOWN_LENGTH));
    }

    /** The secrets to sign with, newest first: the current one, then the previous one if it is still valid. */
    public static List<String> open(SecretBox box, String tenant, byte[] current, byte[] previous) {
        List<String> secrets = new ArrayList<>(2);
        secrets.add(box.open(current, tenant));
        if (previous != null) {
            secrets.add(box.open(previous, tenant));
        }
        return secrets;
    }

    /**
     * Why a service must not start with these settings outside a development stack, or empty: the fallback secret
     * or the encryption key is the published development one. Every service that signs or stores secrets checks
     * this at startup (unless {@code framewright.webhooks.allow-dev-secrets}, which only the dev stacks set).
     */
    public static Optional<String> devDefaultsInUse(Optional<String> fallbackSecret, String encryptionKey) {
        List<String> problems = new ArrayList<>();
        if (fallbackSecret.filter(DEV_FALLBACK_SECRET::equals).isPresent()) {
            problems.add("framewright.webhooks.secret (FRAMEWRIGHT_WEBHOOK_SECRET) is the development secret "
                    + DEV_FALLBACK_SECRET + "; unset it (each tenant creates its own with POST /v1/webhook-secrets)");
        }
        if (DEV_ENCRYPTION_KEY.equals(encryptionKey == null ? null : encryptionKey.trim())) {
            problems.add("framewright.webhooks.secret-key (FRAMEWRIGHT_WEBHOOK_SECRET_KEY) is the published "
                    + "development key; set base64 of 32 random bytes (openssl rand -base64 32), the same in job-api "
                    + "and status-projector");
        }
        return problems.isEmpty() ? Optional.empty()
                : Optional.of(String.join("; ", problems)
                        + ". Only development stacks may run with these (framewright.webhooks.allow-dev-secrets=true)");
    }

    private static String random(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return s.toString();
    }
}
