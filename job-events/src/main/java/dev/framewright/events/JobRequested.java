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
 * @param startDeadline      a worker that takes the request later than this fails it unstarted with
 *                           {@code start_deadline_exceeded} instead of running it; null: no deadline
 */
public record JobRequested(UUID eventId, UUID jobId, String tenant, int attempt, Instant time, String queue,
        InputObject input, List<OutputSpec> outputs, Map<String, String> labels, Webhook webhook,
        Integer maxDurationSeconds, Instant expiresAt, boolean retry, Instant startDeadline) implements JobEvent {

    /** A request without a start deadline (the form before {@code startDeadline} was added). */
    public JobRequested(UUID eventId, UUID jobId, String tenant, int attempt, Instant time, String queue,
            InputObject input, List<OutputSpec> outputs, Map<String, String> labels, Webhook webhook,
            Integer maxDurationSeconds, Instant expiresAt, boolean retry) {
        this(eventId, jobId, tenant, attempt, time, queue, input, outputs, labels, webhook, maxDurationSeconds,
                expiresAt, retry, null);
    }

    /** Whether a worker taking the request at {@code now} is too late to start it. */
    public boolean startDeadlinePassed(Instant now) {
        return startDeadline != null && now.isAfter(startDeadline);
    }

    /** A new job in the default queue with no labels, webhook or deadline overrides. */
    public static JobRequested simple(UUID eventId, UUID jobId, String tenant, Instant time, InputObject input,
            List<OutputSpec> outputs) {
        return new JobRequested(eventId, jobId, tenant, 0, time, Topics.DEFAULT_QUEUE, input, outputs, Map.of(),
                null, null, null, false);
    }
}
