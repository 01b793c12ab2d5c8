-- The read model job-api serves. Owned by status-projector; job-api only seeds a queued row
-- (INSERT ... ON CONFLICT DO NOTHING) so a GET right after the 202 never answers 404.
CREATE TABLE jobs (
    id               uuid PRIMARY KEY,
    tenant           text             NOT NULL,
    status           text             NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    attempt          integer          NOT NULL DEFAULT 0,
    progress_percent double precision NOT NULL DEFAULT 0,
    progress_stage   text,
    input            jsonb,
    input_media      jsonb,
    -- [{name, type, status, width, height, at_seconds, files: [...], media: {...}}], in the order requested
    outputs          jsonb            NOT NULL DEFAULT '[]',
    error_code       text,
    error_message    text,
    created_at       timestamptz      NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz      NOT NULL
);

CREATE INDEX jobs_tenant_created_at ON jobs (tenant, created_at DESC);

-- Event ids already folded: the same transaction records the event and applies it, so a redelivery changes nothing.
CREATE TABLE applied_events (
    event_id   uuid PRIMARY KEY,
    job_id     uuid        NOT NULL,
    type       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
