package dev.framewright.transcoder.oneshot;

import dev.framewright.transcoder.worker.JobWorker;
import dev.framewright.transcoder.worker.TranscoderConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * {@code framewright.transcoder.max-jobs}: how many requests a consumer takes before the process exits, the shape of
 * a KEDA ScaledJob's pod (one record, then exit). A request past the budget is never acknowledged, so the group gives
 * it to another member once this one leaves. Exit 0 after the last acknowledged one; {@link OneShotRun#NOT_CONCLUDED}
 * as soon as one could not be concluded, so its partition goes back to the group instead of staying held here.
 */
@Startup // the max-idle clock runs from the start, not from the first record
@ApplicationScoped
public class JobBudget {

    private static final Logger LOG = Logger.getLogger(JobBudget.class);

    private final int max;
    private final AtomicInteger taken = new AtomicInteger();
    private final AtomicInteger handled = new AtomicInteger();
    private final AtomicBoolean exiting = new AtomicBoolean();
    private volatile int exitCode = OneShotRun.CONCLUDED;

    public JobBudget(TranscoderConfig config) {
        this.max = config.mode() == TranscoderConfig.Mode.CONSUMER ? config.maxJobs() : 0;
        if (max > 0 && config.maxIdle().isPresent()) {
            Duration idle = config.maxIdle().get();
            Thread watch = new Thread(() -> {
                try {
                    Thread.sleep(idle.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                if (taken.get() == 0) {
                    exit(OneShotRun.CONCLUDED, "no request within " + idle + " (max-idle)");
                }
            }, "max-idle");
            watch.setDaemon(true);
            watch.start();
        }
    }

    /** Whether this process may take one more request. */
    public boolean take() {
        return max <= 0 || (!exiting.get() && taken.incrementAndGet() <= max && !exiting.get());
    }

    /** A taken request was handled (ACK/REFUSED once its acknowledgement is done; HOLD at once). */
    public void handled(JobWorker.Delivery delivery) {
        if (max <= 0) {
            return;
        }
        if (delivery == JobWorker.Delivery.HOLD) {
            exit(OneShotRun.NOT_CONCLUDED, "a request could not be concluded");
        } else if (handled.incrementAndGet() >= max) {
            exit(OneShotRun.CONCLUDED, max + " request(s) handled (max-jobs)");
        }
    }

    /** What the process exits with (TranscoderMain). */
    public int exitCode() {
        return exitCode;
    }

    private void exit(int code, String why) {
        if (exiting.compareAndSet(false, true)) {
            exitCode = code;
            LOG.infof("Exiting with %d: %s", code, why);
            Quarkus.asyncExit(code);
        }
    }
}
