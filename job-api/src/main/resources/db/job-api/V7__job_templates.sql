-- Job templates (POST /v1/templates): a named spec per tenant, versioned 1, 2, ... Each POST of a name adds a
-- version; versions are never changed, so a job records exactly which one it ran with.
CREATE TABLE job_templates (
    tenant     text        NOT NULL REFERENCES tenants (id),
    name       text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    version    integer     NOT NULL CHECK (version >= 1),
    -- the template's job spec (snake_case JSON, as sent), checked by JobSpecParser.parseTemplate
    spec       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name, version)
);

-- Which template version a job was made from; job-api adds it to the job document ("template": {name, version}).
-- The jobs row itself belongs to status-projector, so the reference lives here, keyed by job id.
CREATE TABLE job_template_uses (
    job_id     uuid        PRIMARY KEY,
    tenant     text        NOT NULL,
    name       text        NOT NULL,
    version    integer     NOT NULL
);
