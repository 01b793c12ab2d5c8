-- What the fold needs to keep a retry order-safe: lifecycle events of the retried attempt or older are stale,
-- yet a stale terminal event still records the outputs the retry keeps (a replay may read the retry first).
ALTER TABLE jobs
    ADD COLUMN retried_attempt integer,
    ADD COLUMN retried_at      timestamptz,
    -- ["output name", ...] the latest retry re-runs
    ADD COLUMN retried_outputs jsonb;

-- The dispatcher's poll: due pending deliveries, oldest first.
DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
