package dev.framewright.api.job;

import static dev.framewright.api.testing.Fixtures.json;
import static dev.framewright.api.testing.Fixtures.sql;

import dev.framewright.events.InputObject;
import dev.framewright.events.OutputSpec;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Read-model rows written as the projector would write them. */
final class Jobs {

    private Jobs() {
    }

    static UUID insert(String tenant, String status, String queue, Map<String, String> labels, int attempt,
            Instant createdAt, List<StoredOutput> outputs, Instant expiresAt, Instant expiredAt, String webhookUrl) {
        return insert(UUID.randomUUID(), tenant, status, queue, labels, attempt, createdAt, outputs, expiresAt,
                expiredAt, webhookUrl);
    }

    static UUID insert(UUID id, String tenant, String status, String queue, Map<String, String> labels, int attempt,
            Instant createdAt, List<StoredOutput> outputs, Instant expiresAt, Instant expiredAt, String webhookUrl) {
        InputObject input = new InputObject("uploads/" + tenant + "/" + UUID.randomUUID(), "clip.mp4", "video/mp4", 1234);
        sql("""
                INSERT INTO jobs (id, tenant, status, queue, labels, attempt, progress_percent, progress_stage, input,
                                  outputs, webhook_url, expires_at, expired_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?::jsonb, ?, 0, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)""",
                id, tenant, status, queue, json(labels), attempt, status, json(input), json(outputs), webhookUrl,
                ts(expiresAt), ts(expiredAt), ts(createdAt), ts(createdAt));
        return id;
    }

    static UUID insert(String status, List<StoredOutput> outputs) {
        return insert("default", status, "default", Map.of(), 1, Instant.now(), outputs, null, null, null);
    }

    static StoredOutput output(OutputSpec spec, String status, List<dev.framewright.events.OutputFile> files) {
        return new StoredOutput(spec.name(), spec.type().wireName(), status, spec, "succeeded".equals(status) ? 100.0 : 0.0,
                files, null, "failed".equals(status) ? new StoredOutput.StoredError("unsupported_media", "no") : null);
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
