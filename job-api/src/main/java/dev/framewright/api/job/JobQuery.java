package dev.framewright.api.job;

import java.time.Instant;
import java.util.Map;

/** Filters of {@code GET /v1/jobs}; {@code after} is the decoded cursor. */
public record JobQuery(String status, String queue, Map<String, String> labels, Instant createdAfter,
        Instant createdBefore, ListCursor after) {
}
