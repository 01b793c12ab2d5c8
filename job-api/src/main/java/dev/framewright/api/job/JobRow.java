package dev.framewright.api.job;

import dev.framewright.events.InputObject;
import dev.framewright.events.MediaInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One row of the read model's {@code jobs} table, as job-api reads (and seeds) it, with the template version the job
 * was made from (job-api's {@code job_template_uses}; null for a job without one).
 */
public record JobRow(UUID id, String tenant, String status, String queue, Map<String, String> labels, int attempt,
        double progressPercent, String progressStage, Double progressFps, Double progressEtaSeconds, InputObject input,
        MediaInfo inputMedia, List<StoredOutput> outputs, String errorCode, String errorMessage, String webhookUrl,
        boolean webhookProgress, Integer maxDurationSeconds, Instant createdAt, Instant startedAt, Instant finishedAt,
        Instant expiresAt, Instant expiredAt, Instant canceledAt, JobDocument.Template template) {

    public static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");

    public boolean terminal() {
        return TERMINAL.contains(status);
    }

    public boolean expired() {
        return expiredAt != null;
    }
}
