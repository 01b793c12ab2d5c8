package dev.framewright.api.retention;

import dev.framewright.api.idempotency.IdempotencyStore;
import dev.framewright.api.job.EventPublisher;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.upload.UploadStore;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobExpired;
import dev.framewright.events.Topics;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Deletes what passed its retention: a finished job's input and every object under {@code jobs/{id}/}, then
 * publishes {@link JobExpired}. Rows are taken with {@code FOR UPDATE SKIP LOCKED}, so replicas share the work
 * instead of doing it twice. Also forgets idempotency keys older than a day and uploads no job used, and aborts
 * multipart uploads not completed within {@code framewright.uploads.multipart-ttl} (their parts would otherwise
 * stay stored, and billed, invisible to object listings).
 */
@ApplicationScoped
public class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);
    private static final int BATCH = 50;

    private final AgroalDataSource db;
    private final MediaStore store;
    private final EventPublisher publisher;
    private final IdempotencyStore idempotency;
    private final UploadStore uploads;
    private final java.time.Duration multipartTtl;

    public RetentionSweeper(AgroalDataSource db, MediaStore store, EventPublisher publisher,
            IdempotencyStore idempotency, UploadStore uploads, dev.framewright.api.upload.UploadConfig uploadConfig) {
        this.multipartTtl = uploadConfig.multipartTtl();
        this.db = db;
        this.store = store;
        this.publisher = publisher;
        this.idempotency = idempotency;
        this.uploads = uploads;
    }

    @Scheduled(every = "${framewright.retention.sweep-every:60s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int expired = sweep();
            if (expired > 0) {
                LOG.infof("Expired %d jobs", expired);
            }
            idempotency.purgeExpired();
            int aborted = abortAbandonedUploads() + abortOrphanedMultiparts(Instant.now().minus(multipartTtl));
            if (aborted > 0) {
                LOG.infof("Aborted %d abandoned multipart uploads", aborted);
            }
            for (String key : uploads.purgeUnused()) {
                store.delete(key);
            }
        } catch (RuntimeException e) {
            LOG.warn("Retention sweep failed; the next one tries again", e);
        }
    }

    /** Expires every due job (in batches); returns how many. */
    public int sweep() {
        int total = 0;
        for (int n; (n = sweepBatch()) > 0; ) {
            total += n;
        }
        return total;
    }

    /**
     * Aborts every multipart upload created more than {@code framewright.uploads.multipart-ttl} ago and never
     * completed (AbortMultipartUpload deletes its parts), then forgets it; returns how many.
     */
    public int abortAbandonedUploads() {
        int total = 0;
        Instant cutoff = Instant.now().minus(multipartTtl);
        for (List<UploadStore.Abandoned> batch; !(batch = uploads.abandoned(cutoff, BATCH)).isEmpty(); ) {
            for (UploadStore.Abandoned upload : batch) {
                store.abortMultipart(upload.key(), upload.uploadId());
                uploads.deleteAbandoned(upload.id());
                total++;
            }
        }
        return total;
    }

    /**
     * Aborts the multipart uploads under {@code uploads/} that the store says were initiated before {@code cutoff},
     * whether or not a row knows them: a job-api killed while streaming a large multipart {@code POST /v1/jobs}
     * file to S3 leaves parts no row records. One the store gives no initiation time is left alone. Returns how many.
     */
    public int abortOrphanedMultiparts(Instant cutoff) {
        int aborted = 0;
        for (MediaStore.OpenMultipart open : store.openMultiparts(MediaStore.UPLOADS_PREFIX)) {
            if (open.initiated() != null && open.initiated().isBefore(cutoff)) {
                store.abortMultipart(open.key(), open.uploadId());
                aborted++;
            }
        }
        return aborted;
    }

    private int sweepBatch() {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            int expired = 0;
            try (PreparedStatement select = c.prepareStatement("""
                    SELECT id, tenant, attempt, input ->> 'key' AS input_key, outputs::text AS outputs FROM jobs
                    WHERE expires_at < now() AND expired_at IS NULL AND status IN ('succeeded', 'failed', 'canceled')
                    ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED""");
                    PreparedStatement mark = c.prepareStatement("UPDATE jobs SET expired_at = ? WHERE id = ?")) {
                select.setInt(1, BATCH);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject("id", UUID.class);
                        String tenant = rs.getString("tenant");
                        expire(id, tenant, rs.getInt("attempt"), rs.getString("input_key"), rs.getString("outputs"));
                        // Set here too (the projector sets it again from JobExpired): the job answers 410 at once
                        // and the next sweep does not pick it up before the projector folded the event.
                        Instant now = Instant.now();
                        mark.setObject(1, now.atOffset(java.time.ZoneOffset.UTC));
                        mark.setObject(2, id);
                        mark.executeUpdate();
                        expired++;
                    }
                }
                c.commit();
                return expired;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Retention sweep", e);
        }
    }

    private void expire(UUID id, String tenant, int attempt, String inputKey, String outputs) {
        if (MediaStore.isInputOf(inputKey, tenant)) {
            store.delete(inputKey);
        }
        // Overlay images uploaded with the job are inputs of the job too.
        try {
            for (var output : JobEventJson.mapper().readTree(outputs == null ? "[]" : outputs)) {
                String image = output.path("spec").path("overlay").path("image").asText(null);
                if (MediaStore.isInputOf(image, tenant)) {
                    store.delete(image);
                }
            }
        } catch (java.io.IOException e) {
            LOG.warn("Could not read the outputs of job " + id + " for overlay images", e);
        }
        int deleted = store.deletePrefix(MediaStore.jobPrefix(id));
        publisher.publish(Topics.JOB_LIFECYCLE, new JobExpired(UUID.randomUUID(), id, tenant, attempt, Instant.now()));
        LOG.infof("Job %s expired: input and %d objects deleted", id, deleted);
    }
}
