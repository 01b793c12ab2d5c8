-- Tenants and the API keys that act for them. Owned by job-api (history table flyway_history_job_api).

CREATE TABLE tenants (
    id                  text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    name                text        NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    -- Limit overrides; null means the deployment's framewright.limits.* value.
    requests_per_second integer     CHECK (requests_per_second > 0),
    burst               integer     CHECK (burst > 0),
    max_queued_jobs     integer     CHECK (max_queued_jobs >= 0)
);

-- Only the SHA-256 of a key is stored (hex): keys are 190+ random bits, so a fast hash is enough, and a leaked
-- table grants nothing. A key is looked up by its hash.
CREATE TABLE api_keys (
    hash         text        PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
    tenant       text        NOT NULL REFERENCES tenants (id),
    name         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    -- A revoked key is refused within framewright.auth.cache-ttl (default 30 s).
    revoked_at   timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant);
