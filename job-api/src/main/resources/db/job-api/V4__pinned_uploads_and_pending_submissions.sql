-- The object a direct upload's job was accepted with (its ETag, from the GET that sniffed it). The presigned PUT
-- stays valid until it expires, so the worker downloads only this ETag and fails input_changed for any other.
ALTER TABLE uploads ADD COLUMN etag text;

-- A submission whose JobRequested publish timed out (503 broker_unavailable) may still land later: the event is
-- kept, and a retry with the same Idempotency-Key publishes this same event (same event id, same job id) instead
-- of making a second job. Null for a reservation whose publish was never attempted or did not time out.
ALTER TABLE idempotency_keys ADD COLUMN pending_event text;
