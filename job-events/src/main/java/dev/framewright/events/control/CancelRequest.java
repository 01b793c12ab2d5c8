package dev.framewright.events.control;

import dev.framewright.events.JobRequested;
import java.time.Instant;

/**
 * The cancel object ({@code jobs/{id}/_control/cancel}, see {@code ObjectKeys.cancel}): job-api writes it on
 * {@code DELETE /v1/jobs/{id}}, every worker running the job polls it and stops, and a worker that picks up a request
 * checks it first. Serialised with the contract's mapper ({@code JobEventJson.mapper()}); it is never deleted, so a
 * request that was queued before the cancel stays canceled when it is delivered later.
 *
 * @param requestedAt     when the cancel was asked for (job-api's clock, after the job's latest request)
 * @param terminalEmitted true when job-api already published {@code JobCanceled} (the job was still queued)
 */
public record CancelRequest(Instant requestedAt, boolean terminalEmitted) {

    /**
     * A cancel stops the requests made up to it, never a retry requested after it (job-api times a retry after the
     * cancel object and leaves the object in place, so older requests still queued stay canceled).
     */
    public boolean appliesTo(JobRequested request) {
        return requestedAt == null || request.time() == null || !requestedAt.isBefore(request.time());
    }
}
