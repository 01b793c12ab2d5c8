-- job-api's own tables. The read model (jobs, job_events, webhook_*) belongs to status-projector's migrations;
-- these have their own Flyway history table (flyway_history_job_api), so either service may migrate first.

-- Idempotency-Key: one row per (tenant, key). The primary key settles the race of two concurrent requests with
-- one key: exactly one INSERT wins and submits, the other waits for its response or is told the body differs.
CREATE TABLE idempotency_keys (
    tenant          text        NOT NULL,
    key             text        NOT NULL,
    -- SHA-256 of the canonical request (spec, input digest or upload id, overlay digest)
    request_hash    text        NOT NULL,
    job_id          uuid        NOT NULL,
    -- null while the first request is still being processed
    response_status integer,
    response_body   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant, key)
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);

-- Direct uploads (POST /v1/uploads): a presigned PUT to uploads/{tenant}/{id}. Used by at most one job.
CREATE TABLE uploads (
    id           uuid PRIMARY KEY,
    tenant       text        NOT NULL,
    key          text        NOT NULL UNIQUE,
    filename     text,
    content_type text        NOT NULL,
    size         bigint      NOT NULL,
    created_at   timestamptz NOT NULL,
    -- when the presigned URL stops working
    url_expires_at timestamptz NOT NULL,
    -- the job that consumed it; unused uploads are deleted after a day
    job_id       uuid
);
CREATE INDEX uploads_unused ON uploads (created_at) WHERE job_id IS NULL;
