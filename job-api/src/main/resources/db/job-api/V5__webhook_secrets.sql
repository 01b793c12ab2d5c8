-- Per-tenant webhook signing secrets (POST /v1/webhook-secrets). Owned by job-api; status-projector reads them to
-- sign, both through dev.framewright.events.webhook.WebhookSecrets. The projector needs the plaintext, so a secret
-- cannot be hashed like an API key: it is sealed with AES-256-GCM under the operator's framewright.webhooks.secret-key
-- (SecretBox: version byte, nonce, ciphertext and tag; the tenant is authenticated data).
CREATE TABLE webhook_secrets (
    tenant              text        PRIMARY KEY REFERENCES tenants (id),
    -- public id and the shown start of the secret (whsec_ and 6 characters): enough to tell which one a receiver has
    id                  text        NOT NULL UNIQUE,
    prefix              text        NOT NULL,
    secret              bytea       NOT NULL,
    created_at          timestamptz NOT NULL,
    -- the secret this one replaced; deliveries are signed with it too until previous_expires_at (the overlap)
    previous_id         text,
    previous_prefix     text,
    previous_secret     bytea,
    previous_expires_at timestamptz
);
