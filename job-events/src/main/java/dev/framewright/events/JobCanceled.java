package dev.framewright.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Terminal: a client canceled the job. Emitted by job-api for a job no worker had started, or by the worker
 * that stopped it; partial outputs are removed.
 */
public record JobCanceled(UUID eventId, UUID jobId, String tenant, int attempt, Instant time) implements JobEvent {
}
