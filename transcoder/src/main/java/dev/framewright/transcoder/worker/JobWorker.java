package dev.framewright.transcoder.worker;

import dev.framewright.events.FailureCode;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.transcoder.events.LifecycleEmitter;
import dev.framewright.transcoder.media.MediaException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The consumer-group member: takes {@link JobRequested} records and answers each with {@link JobStarted}, progress,
 * then exactly one terminal event. The record is acknowledged (its offset may be committed) only after the terminal
 * event is durable, so a worker that dies mid-job leaves the job to another member of the group.
 */
@ApplicationScoped
public class JobWorker {

    public static final String CHANNEL = "job-requests";

    private static final Logger LOG = Logger.getLogger(JobWorker.class);

    private final JobRunner runner;
    private final LifecycleEmitter emitter;
    private final String workerId;

    public JobWorker(JobRunner runner, LifecycleEmitter emitter, TranscoderConfig config) {
        this.runner = runner;
        this.emitter = emitter;
        this.workerId = config.workerId().orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName());
    }

    /** Runs on the bounded "transcode" pool: {@code framewright.transcoder.parallelism} jobs at once. */
    @Incoming(CHANNEL)
    @Blocking(value = "transcode", ordered = false)
    public void process(JobEvent event) {
        if (!(event instanceof JobRequested job)) {
            // Not a job request: an undecodable record (null) or an event type this worker does not act on.
            LOG.warnf("Skipped a record on %s that is not a JobRequested", CHANNEL);
            return;
        }
        // Redelivery counting (attempt > 1) arrives with the delivery guarantees; every delivery is attempt 1 for now.
        int attempt = 1;
        emitter.emitDurably(new JobStarted(UUID.randomUUID(), job.jobId(), job.tenant(), attempt, Instant.now(), workerId));
        long started = System.nanoTime();
        try {
            JobRunner.Result result = runner.run(job, attempt);
            emitter.emitDurably(new JobCompleted(UUID.randomUUID(), job.jobId(), job.tenant(), attempt, Instant.now(),
                    result.input(), result.outputs()));
            LOG.infof("Job %s succeeded in %d ms", job.jobId(), (System.nanoTime() - started) / 1_000_000);
        } catch (MediaException e) {
            LOG.infof("Job %s failed: %s (%s)", job.jobId(), e.code().wireName(), e.getMessage());
            fail(job, attempt, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Job %s failed unexpectedly", job.jobId());
            fail(job, attempt, FailureCode.INTERNAL, "The transcoder failed; the error was logged");
        }
    }

    private void fail(JobRequested job, int attempt, FailureCode code, String message) {
        emitter.emitDurably(JobFailed.of(UUID.randomUUID(), job.jobId(), job.tenant(), attempt, Instant.now(), code,
                message));
    }
}
