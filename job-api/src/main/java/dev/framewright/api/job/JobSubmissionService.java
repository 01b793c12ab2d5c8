package dev.framewright.api.job;

import dev.framewright.api.problem.ApiException;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Accepts a job: stores the input, makes {@link JobRequested} durable in Kafka, then seeds the read model.
 * A 202 is only ever sent after the broker acknowledged the request, so an accepted job cannot be lost.
 */
@ApplicationScoped
public class JobSubmissionService {

    /** Stable tenant until authentication lands; every row and event already carries it. */
    public static final String DEFAULT_TENANT = "default";

    private static final Logger LOG = Logger.getLogger(JobSubmissionService.class);
    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_MODEL_TIMEOUT = Duration.ofSeconds(5);

    private final MediaStore store;
    private final JobRequestPublisher publisher;
    private final JobReadModel readModel;

    public JobSubmissionService(MediaStore store, JobRequestPublisher publisher, JobReadModel readModel) {
        this.store = store;
        this.publisher = publisher;
        this.readModel = readModel;
    }

    /** Blocking: call from a worker thread. */
    public JobRequested submit(JobSpec spec, Path upload, String filename, String contentType) {
        UUID jobId = UUID.randomUUID();
        String key = MediaStore.inputKey(jobId);
        long size = size(upload);
        if (size == 0) {
            throw new ApiException(400, "empty_upload", "Empty upload", "The 'file' part has no content");
        }
        try {
            store.putInput(key, upload, contentType);
        } catch (RuntimeException e) {
            LOG.error("Could not store the input of job " + jobId, e);
            throw new ApiException(503, "storage_unavailable", "Storage unavailable",
                    "The input could not be stored; nothing was accepted, retry later");
        }

        JobRequested requested = new JobRequested(UUID.randomUUID(), jobId, DEFAULT_TENANT, 0, Instant.now(),
                new InputObject(key, filename, contentType, size),
                spec.outputs().stream().map(OutputRequest::toEvent).toList());
        try {
            publisher.publish(requested).await().atMost(BROKER_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.error("Could not publish JobRequested for job " + jobId, e);
            throw new ApiException(503, "broker_unavailable", "Job queue unavailable",
                    "The job could not be queued; nothing was accepted, retry later");
        }

        try {
            readModel.seed(requested).await().atMost(READ_MODEL_TIMEOUT);
        } catch (RuntimeException e) {
            // The request is durable; the projector will create the row from it. Only read-your-write suffers.
            LOG.warn("Could not seed the read model for job " + jobId + "; the projector will", e);
        }
        return requested;
    }

    private static long size(Path upload) {
        try {
            return Files.size(upload);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
