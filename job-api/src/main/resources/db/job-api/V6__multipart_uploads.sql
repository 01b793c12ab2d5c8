-- Direct uploads above framewright.uploads.multipart-above-bytes are S3 multipart uploads (POST /v1/uploads answers
-- presigned part URLs). The S3 upload id, the part size of the plan the client was given, and when
-- POST /v1/uploads/{id}/complete assembled the object. An incomplete one past framewright.uploads.multipart-ttl is
-- aborted by the retention sweeper (AbortMultipartUpload) and its row deleted.
ALTER TABLE uploads ADD COLUMN multipart_id text;
ALTER TABLE uploads ADD COLUMN part_size bigint;
ALTER TABLE uploads ADD COLUMN completed_at timestamptz;
CREATE INDEX uploads_open_multipart ON uploads (created_at) WHERE multipart_id IS NOT NULL AND completed_at IS NULL;
