package dev.framewright.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Throttled progress of a running job (about once a second).
 *
 * @param percent          0 to 100 over the whole job
 * @param stage            what the worker is doing, e.g. {@code downloading}, {@code transcoding:small}, {@code uploading}
 * @param mediaSecondsDone media time processed in the current stage
 * @param fps              frames per second the current stage runs at, 0 when not decoding
 */
public record JobProgress(UUID eventId, UUID jobId, String tenant, int attempt, Instant time, double percent,
        String stage, double mediaSecondsDone, double fps) implements JobEvent {
}
