package dev.framewright.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Throttled progress of a running job (about once a second).
 *
 * @param percent          0 to 100 over the whole job
 * @param stage            what the worker is doing: {@code downloading}, {@code probing}, {@code transcoding},
 *                         {@code stills}, {@code uploading}
 * @param mediaSecondsDone media time processed in the current stage
 * @param fps              frames per second the current stage runs at, 0 when not decoding
 * @param etaSeconds       estimated seconds left, from the media time left and the speed measured so far; null
 *                         until there is a measurement to base it on
 * @param outputs          percent done per output name
 */
public record JobProgress(UUID eventId, UUID jobId, String tenant, int attempt, Instant time, double percent,
        String stage, double mediaSecondsDone, double fps, Double etaSeconds, Map<String, Double> outputs)
        implements JobEvent {
}
