package dev.framewright.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Terminal: the job could not be done.
 *
 * @param code    stable, machine-readable reason, one of {@link FailureCode}'s wire names
 * @param message for humans; may change between versions
 */
public record JobFailed(UUID eventId, UUID jobId, String tenant, int attempt, Instant time, String code,
        String message) implements JobEvent {
}
