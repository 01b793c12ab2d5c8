-- The complete job model: queues, labels, per-output state, live progress, an event history per job
-- (served as Server-Sent Events by job-api), webhooks delivered from a durable outbox, and retention.

ALTER TABLE jobs
    ADD COLUMN queue                text             NOT NULL DEFAULT 'default',
    -- {"key": "value", ...}
    ADD COLUMN labels               jsonb            NOT NULL DEFAULT '{}',
    ADD COLUMN progress_fps         double precision,
    ADD COLUMN progress_eta_seconds double precision,
    ADD COLUMN webhook_url          text,
    ADD COLUMN webhook_progress     boolean          NOT NULL DEFAULT false,
    ADD COLUMN max_duration_seconds integer,
    ADD COLUMN expires_at           timestamptz,
    ADD COLUMN expired_at           timestamptz,
    ADD COLUMN canceled_at          timestamptz;

-- outputs now holds [{name, type, status, spec: {...}, progress, files: [...], media: {...}, error: {code, message}}]
-- (camelCase, as the job-events contract); the old per-output width/height/atSeconds live in spec.
COMMENT ON COLUMN jobs.outputs IS 'OutputState[] as JSON, in the order requested';

-- Listing: newest first per tenant, with a unique tie-breaker so cursors are stable under concurrent inserts.
DROP INDEX jobs_tenant_created_at;
CREATE INDEX jobs_tenant_created_id ON jobs (tenant, created_at DESC, id DESC);
CREATE INDEX jobs_tenant_status_created_id ON jobs (tenant, status, created_at DESC, id DESC);
CREATE INDEX jobs_labels ON jobs USING gin (labels jsonb_path_ops);
CREATE INDEX jobs_expires_at ON jobs (expires_at) WHERE expires_at IS NOT NULL AND expired_at IS NULL;

-- Every event folded into a job, in fold order. seq is the SSE event id (Last-Event-ID resumes after it);
-- event_id makes folding idempotent, replacing applied_events.
CREATE TABLE job_events (
    seq      bigserial PRIMARY KEY,
    event_id uuid        NOT NULL UNIQUE,
    job_id   uuid        NOT NULL,
    tenant   text        NOT NULL,
    type     text        NOT NULL,
    attempt  integer     NOT NULL,
    time     timestamptz NOT NULL,
    -- the event as the job-events contract writes it
    payload  jsonb       NOT NULL
);
CREATE INDEX job_events_job_seq ON job_events (job_id, seq);

INSERT INTO job_events (event_id, job_id, tenant, type, attempt, time, payload)
SELECT a.event_id, a.job_id, coalesce(j.tenant, 'default'), a.type, 0, a.applied_at, '{}'
FROM applied_events a LEFT JOIN jobs j ON j.id = a.job_id
ORDER BY a.applied_at;
DROP TABLE applied_events;

-- Webhook notifications, written in the same transaction as the fold that caused them (a durable outbox):
-- a restart loses none, and a slow receiver only delays its own rows.
CREATE TABLE webhook_deliveries (
    id              bigserial PRIMARY KEY,
    job_id          uuid        NOT NULL,
    tenant          text        NOT NULL,
    -- the lifecycle event that caused it; with url unique, so a refold never queues it twice
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    url             text        NOT NULL,
    body            jsonb       NOT NULL,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    give_up_at      timestamptz NOT NULL,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz,
    UNIQUE (event_id, url)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_job ON webhook_deliveries (job_id, id);

-- Every attempt of every delivery, shown on the job.
CREATE TABLE webhook_attempts (
    delivery_id bigint      NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt     integer     NOT NULL,
    at          timestamptz NOT NULL,
    status      integer,
    error       text,
    duration_ms integer     NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
