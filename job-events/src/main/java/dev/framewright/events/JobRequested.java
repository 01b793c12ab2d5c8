package dev.framewright.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A client asked for a job; published by job-api once the input is stored. */
public record JobRequested(UUID eventId, UUID jobId, String tenant, int attempt, Instant time,
        InputObject input, List<OutputSpec> outputs) implements JobEvent {
}
