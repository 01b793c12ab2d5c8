package dev.framewright.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A worker took the job. A retry emits a new one with a higher {@code attempt}.
 *
 * @param worker the transcoder instance, for operators
 */
public record JobStarted(UUID eventId, UUID jobId, String tenant, int attempt, Instant time, String worker)
        implements JobEvent {
}
