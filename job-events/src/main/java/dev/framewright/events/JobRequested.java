package dev.framewright.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A client asked for a job, or for a retry of its failed outputs; published by job-api once the input is stored,
 * on the request topic of the job's queue ({@link Topics#requests(String)}).
 *
 * @param attempt            0 for a new job; for a retry, the number of attempts made so far, so events of those
 *                           attempts that arrive late are recognised as stale
 * @param queue              the queue (and so the request topic) the job waits in
 * @param outputs            what to produce; for a retry only the outputs to produce again
 * @param labels             free key=value labels, returned and filterable; never interpreted
 * @param webhook            where notifications go; null for none
 * @param maxDurationSeconds how long one attempt may run before it fails with {@code timeout}; null: the
 *                           transcoder's configured maximum
 * @param expiresAt          when inputs and outputs are deleted; null: kept
 * @param retry              true when this re-runs outputs of a finished job; the others keep their results
 */
public record JobRequested(UUID eventId, UUID jobId, String tenant, int attempt, Instant time, String queue,
        InputObject input, List<OutputSpec> outputs, Map<String, String> labels, Webhook webhook,
        Integer maxDurationSeconds, Instant expiresAt, boolean retry) implements JobEvent {

    /** A new job in the default queue with no labels, webhook or deadline overrides. */
    public static JobRequested simple(UUID eventId, UUID jobId, String tenant, Instant time, InputObject input,
            List<OutputSpec> outputs) {
        return new JobRequested(eventId, jobId, tenant, 0, time, Topics.DEFAULT_QUEUE, input, outputs, Map.of(),
                null, null, null, false);
    }
}
