package dev.framewright.transcoder.oneshot;

import dev.framewright.events.FailureCode;
import dev.framewright.events.JobRequested;
import dev.framewright.events.rules.RequestRules;
import dev.framewright.events.rules.Violation;
import dev.framewright.transcoder.worker.JobWorker;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs one work item as {@link JobWorker} runs a delivery (rulebook, claims and attempts in {@code _control},
 * lifecycle events, outputs, cancel, deadline, quarantine) and turns the outcome into the process's exit code: the
 * Job controller retries a pod that exits {@link #NOT_CONCLUDED}, and the Job's pod failure policy fails it at once
 * on {@link #REFUSED} or {@link #NO_ITEM}, which no retry can change.
 */
@ApplicationScoped
public class OneShotRun {

    /** The terminal event is durable (or was already): the job is answered. */
    public static final int CONCLUDED = 0;
    /** sysexits EX_DATAERR: the item is not a runnable request; dead-lettered, and a JobFailed where addressable. */
    public static final int REFUSED = 65;
    /** sysexits EX_NOINPUT: no work item file named, or it cannot be read. */
    public static final int NO_ITEM = 66;
    /** sysexits EX_TEMPFAIL: not concluded (store or broker down, shut down mid-job); run it again. */
    public static final int NOT_CONCLUDED = 75;

    private static final Logger LOG = Logger.getLogger(OneShotRun.class);

    private final JobWorker worker;

    public OneShotRun(JobWorker worker) {
        this.worker = worker;
    }

    public int run(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("The work item %s cannot be read: %s", file, e.toString());
            return NO_ITEM;
        }
        WorkItem item = WorkItem.parse(bytes);
        try {
            if (item instanceof WorkItem.Malformed bad) {
                return refuse(bad);
            }
            JobRequested job = ((WorkItem.Request) item).job();
            JobWorker.Delivery delivery = worker.deliver(job, null, Context.current());
            LOG.infof("Work item %s for job %s: %s", file, job.jobId(), delivery);
            return switch (delivery) {
                case ACK -> CONCLUDED;
                case REFUSED -> REFUSED;
                case HOLD -> NOT_CONCLUDED;
            };
        } catch (RuntimeException e) {
            LOG.errorf(e, "The work item %s could not be concluded", file);
            return NOT_CONCLUDED;
        }
    }

    /** Dead-lettered like a refused record; the job, when named, gets its JobFailed. */
    private int refuse(WorkItem.Malformed bad) {
        LOG.errorf("Refused the work item: %s", bad.reason());
        // Only what was readable, so the dead letter says whose it was; the rulebook's Rejection decides who is told.
        JobRequested letter = new JobRequested(UUID.randomUUID(), bad.jobId(), bad.tenant(), 0, Instant.now(), null,
                null, List.of(), null, null, null, null, false);
        RequestRules.Rejection rejection = new RequestRules.Rejection(RequestRules.INVALID_REQUEST,
                FailureCode.INVALID_OUTPUT, List.of(new Violation("workItem", bad.reason())));
        worker.reject(letter, null, rejection);
        return REFUSED;
    }
}
