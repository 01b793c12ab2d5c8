package dev.framewright.transcoder.oneshot;

import dev.framewright.transcoder.worker.TranscoderConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The transcoder's entry point. {@code consumer} (default): a group member until stopped, or until it has handled
 * {@code max-jobs} requests ({@link JobBudget}). {@code oneshot}
 * ({@code FRAMEWRIGHT_TRANSCODER_MODE=oneshot}): runs the work item named by the first argument or
 * {@code WORK_ITEM_FILE}, then exits with {@link OneShotRun}'s code; the request channel is off
 * ({@link OneShotConfigSourceFactory}), so the process never joins the consumer group.
 */
@QuarkusMain
public class TranscoderMain implements QuarkusApplication {

    /** The environment variable naming the work item file (the Kubernetes task-queue convention). */
    public static final String WORK_ITEM_FILE = "WORK_ITEM_FILE";

    private static final Logger LOG = Logger.getLogger(TranscoderMain.class);

    private final TranscoderConfig config;
    private final OneShotRun oneShot;
    private final JobBudget budget;

    public TranscoderMain(TranscoderConfig config, OneShotRun oneShot, JobBudget budget) {
        this.config = config;
        this.oneShot = oneShot;
        this.budget = budget;
    }

    @Override
    public int run(String... args) {
        if (config.mode() != TranscoderConfig.Mode.ONESHOT) {
            Quarkus.waitForExit();
            return budget.exitCode(); // 0, unless max-jobs ended it on a request it could not conclude
        }
        String file = args.length > 0 ? args[0] : System.getenv(WORK_ITEM_FILE);
        if (file == null || file.isBlank()) {
            LOG.errorf("One-shot mode needs a work item: a file name as the first argument or in %s", WORK_ITEM_FILE);
            return OneShotRun.NO_ITEM;
        }
        return oneShot.run(Path.of(file));
    }
}
