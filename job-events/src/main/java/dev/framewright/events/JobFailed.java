package dev.framewright.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Terminal: the job, or some of its outputs, could not be done.
 *
 * @param code          stable, machine-readable reason, one of {@link FailureCode}'s wire names; when outputs
 *                      failed one by one, the code of the first of them
 * @param message       for humans; may change between versions
 * @param input         what the input decoded to, when it got that far
 * @param outputs       outputs that did succeed; they are kept and a retry does not redo them
 * @param failedOutputs outputs that failed, each with its own code; empty when the whole job failed before any
 */
public record JobFailed(UUID eventId, UUID jobId, String tenant, int attempt, Instant time, String code,
        String message, MediaInfo input, List<OutputResult> outputs, List<OutputFailure> failedOutputs)
        implements JobEvent {

    /** The whole job failed with one code. */
    public static JobFailed of(UUID eventId, UUID jobId, String tenant, int attempt, Instant time, FailureCode code,
            String message) {
        return new JobFailed(eventId, jobId, tenant, attempt, time, code.wireName(), message, null, List.of(),
                List.of());
    }
}
