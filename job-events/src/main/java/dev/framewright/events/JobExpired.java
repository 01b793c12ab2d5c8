package dev.framewright.events;

import java.time.Instant;
import java.util.UUID;

/** The job's input and outputs passed their retention and were deleted; the job's record stays. */
public record JobExpired(UUID eventId, UUID jobId, String tenant, int attempt, Instant time) implements JobEvent {
}
