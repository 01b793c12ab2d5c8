package dev.framewright.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Terminal: every output was produced and stored. */
public record JobCompleted(UUID eventId, UUID jobId, String tenant, int attempt, Instant time, MediaInfo input,
        List<OutputResult> outputs) implements JobEvent {
}
