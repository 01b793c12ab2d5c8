package dev.framewright.api.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.framewright.api.limits.AdmissionControl;
import dev.framewright.api.problem.ApiException;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.events.JobCanceled;
import dev.framewright.events.JobRequested;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Topics;
import dev.framewright.events.Webhook;
import dev.framewright.events.control.CancelRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Cancel and retry, as CONTEXT's protocol with the transcoder says (control objects in S3, events on Kafka).
 *
 * <p>The cancel object is scoped by time: it stops the requests of the job made up to its {@code requestedAt}
 * ({@code JobRequested.time}), never a later retry. So a retry leaves it in place (deleting it would let an older
 * request still in the queue run after all), and a retry that is refused or not acknowledged changes nothing.
 */
@ApplicationScoped
public class JobCommands {

    private static final Logger LOG = Logger.getLogger(JobCommands.class);

    private final JobReadModel readModel;
    private final MediaStore store;
    private final EventPublisher publisher;
    private final AdmissionControl admission;

    public JobCommands(JobReadModel readModel, MediaStore store, EventPublisher publisher, AdmissionControl admission) {
        this.readModel = readModel;
        this.store = store;
        this.publisher = publisher;
        this.admission = admission;
    }

    public JobRow find(String tenant, UUID id) {
        JobRow job = readModel.find(tenant, id);
        if (job == null) {
            throw ApiException.notFound("Job " + id);
        }
        return job;
    }

    /**
     * Writes {@code jobs/{id}/_control/cancel}; a worker running the job stops within seconds and emits
     * JobCanceled. No worker has a queued job, so job-api emits JobCanceled itself and says so in the object.
     */
    public JobRow cancel(String tenant, UUID id) {
        JobRow job = find(tenant, id);
        if (job.terminal()) {
            throw ApiException.conflict("job_finished", "Job finished",
                    "Job " + id + " is already " + job.status() + "; there is nothing to cancel");
        }
        boolean queued = "queued".equals(job.status());
        // Never before the job's latest request, whatever this instance's clock says: the cancel must cover it.
        Instant now = later(Instant.now(), readModel.latestRequestAt(tenant, id));
        writeCancel(id, now, queued);
        if (queued) {
            try {
                publisher.publish(Topics.JOB_LIFECYCLE, new JobCanceled(UUID.randomUUID(), id, tenant, job.attempt(), now));
            } catch (ApiException e) {
                // Nobody emitted the terminal event after all: let the worker that takes the job do it.
                writeCancel(id, now, false);
                throw e;
            }
        }
        return find(tenant, id);
    }

    /**
     * Re-runs a failed (or canceled) job's unfinished outputs, or all of them: a new JobRequested with retry=true and
     * attempt = the attempts so far, so late events of earlier attempts are recognised as stale. It is admitted like
     * a new job (the rate limit is the request's; queue depth and the tenant's queued-job cap here), and timed after
     * any cancel object, which then no longer applies to it.
     */
    public JobRow retry(String tenant, UUID id, boolean all) {
        JobRow job = find(tenant, id);
        if (!"failed".equals(job.status()) && !"canceled".equals(job.status())) {
            throw ApiException.conflict("job_not_retryable", "Job not retryable",
                    "Job " + id + " is " + job.status() + "; only failed or canceled jobs can be retried");
        }
        if (job.expired()) {
            throw new ApiException(410, "expired", "Expired", "Job " + id + " passed its retention; its input is gone");
        }
        List<OutputSpec> outputs = job.outputs().stream()
                .filter(o -> all || !o.succeeded())
                .map(StoredOutput::spec)
                .filter(Objects::nonNull)
                .toList();
        if (outputs.isEmpty()) {
            throw ApiException.conflict("nothing_to_retry", "Nothing to retry",
                    "Every output of job " + id + " succeeded; send {\"all\": true} to redo them all");
        }
        admission.admitBlocking(tenant);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant canceledAt = cancelRequestedAt(id);
        if (canceledAt != null && !now.isAfter(canceledAt)) {
            now = canceledAt.truncatedTo(ChronoUnit.MICROS).plus(1, ChronoUnit.MICROS);
        }
        publisher.publish(Topics.requests(job.queue()), new JobRequested(UUID.randomUUID(), id, tenant, job.attempt(),
                now, job.queue(), job.input(), outputs, job.labels(),
                job.webhookUrl() == null ? null : new Webhook(job.webhookUrl(), job.webhookProgress()),
                job.maxDurationSeconds(), job.expiresAt(), true));
        admission.accepted(tenant);
        LOG.infof("Retry of job %s requested (%d outputs, after attempt %d)", id, outputs.size(), job.attempt());
        return find(tenant, id);
    }

    /** When the job's cancel object was written, or null when there is none. */
    private Instant cancelRequestedAt(UUID id) {
        try (var in = store.open(MediaStore.cancelKey(id), null)) {
            if (in == null) {
                return null;
            }
            return JobReadModel.STORED.readValue(in, CancelRequest.class).requestedAt();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Unreadable cancel object of job " + id, e);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("Could not read the cancel object of job " + id, e);
            throw new ApiException(503, "storage_unavailable", "Storage unavailable",
                    "The job's cancel request could not be read; nothing was changed, retry later");
        }
    }

    private static Instant later(Instant a, Instant b) {
        return b != null && b.isAfter(a) ? b : a;
    }

    private void writeCancel(UUID id, Instant requestedAt, boolean terminalEmitted) {
        try {
            store.putBytes(MediaStore.cancelKey(id),
                    JobReadModel.STORED.writeValueAsBytes(new CancelRequest(requestedAt, terminalEmitted)),
                    "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            LOG.error("Could not write the cancel object of job " + id, e);
            throw new ApiException(503, "storage_unavailable", "Storage unavailable",
                    "The cancel request could not be stored; retry later");
        }
    }
}
