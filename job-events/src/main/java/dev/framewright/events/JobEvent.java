package dev.framewright.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A fact about one job. Every event carries the envelope fields below; on Kafka they are also
 * CloudEvents 1.0 binary-mode headers (see {@link CloudEventHeaders}).
 */
public sealed interface JobEvent permits JobRequested, JobStarted, JobProgress, JobCompleted, JobFailed, JobCanceled,
        JobExpired {

    /** Unique id of this event; consumers use it to drop duplicates. */
    UUID eventId();

    UUID jobId();

    String tenant();

    /** 1 for the first delivery to a worker, incremented by every retry. {@link JobRequested} carries 0. */
    int attempt();

    Instant time();

    /** The CloudEvents {@code type}, versioned: a breaking change gets a new type, never a changed one. */
    default String type() {
        return EventType.of(this).ceType();
    }
}
