-- Records the projector could not fold (a value PostgreSQL refuses, a body that is not a job event, an event over
-- the size limit): kept with their Kafka coordinates, the reason and the raw bytes, so the fold moves on and an
-- operator can re-apply them after a fix (POST /admin/parked/reapply). One row per record: re-reading it after a
-- restart parks nothing twice.
CREATE TABLE parked_records (
    id            bigserial PRIMARY KEY,
    topic         text        NOT NULL,
    "partition"   integer     NOT NULL,
    "offset"      bigint      NOT NULL,
    -- text fields below are cleaned of NUL (PostgreSQL text refuses it); the payload is stored as received
    record_key    text,
    ce_type       text,
    -- decode: the body is not a job event; fold: the fold or the database refused it
    error_class   text        NOT NULL CHECK (error_class IN ('decode', 'fold')),
    -- stable reason: empty_record, missing_type, too_large, malformed_json, missing_field, invalid_field,
    -- database_refused, fold_failed
    error_code    text        NOT NULL,
    sql_state     text,
    error_message text        NOT NULL,
    payload       bytea,
    payload_bytes integer     NOT NULL,
    job_id        uuid,
    tenant        text,
    parked_at     timestamptz NOT NULL DEFAULT now(),
    -- set once a re-apply folded it; failed re-applies update the error instead
    reapplied_at  timestamptz,
    reapply_attempts integer  NOT NULL DEFAULT 0,
    UNIQUE (topic, "partition", "offset")
);
CREATE INDEX parked_records_unresolved ON parked_records (id) WHERE reapplied_at IS NULL;
CREATE INDEX parked_records_job ON parked_records (job_id);
CREATE INDEX parked_records_parked_at ON parked_records (parked_at);

-- Retention purge: a job whose retention passed keeps its row (job-api answers 410 from it) but loses its history,
-- webhook outbox and parked records; history_purged_at marks it done so the purge never scans it again.
ALTER TABLE jobs ADD COLUMN history_purged_at timestamptz;
CREATE INDEX jobs_purge_due ON jobs ((coalesce(expired_at, expires_at)))
    WHERE history_purged_at IS NULL AND expires_at IS NOT NULL;
