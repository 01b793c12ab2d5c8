package dev.framewright.projector.kafka;

import dev.framewright.events.JobEvent;
import dev.framewright.projector.fold.ReadModelWriter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Folds every job event of both topics into the read model. The offset is committed only after the event's
 * transaction, so a crash re-reads at most the last second of events, which the writer then recognises and skips.
 */
@ApplicationScoped
public class JobEventProjector {

    public static final String CHANNEL = "job-events";

    private static final Logger LOG = Logger.getLogger(JobEventProjector.class);

    private final ReadModelWriter writer;

    public JobEventProjector(ReadModelWriter writer) {
        this.writer = writer;
    }

    @Incoming(CHANNEL)
    public Uni<Void> project(JobEvent event) {
        if (event == null) {
            // Undecodable, or a type newer than this projector knows: skip it rather than stop the partition.
            LOG.warnf("Skipped a record on %s that is not a job event this projector knows", CHANNEL);
            return Uni.createFrom().voidItem();
        }
        return writer.apply(event)
                .onFailure().invoke(e -> LOG.errorf(e, "Could not fold %s of job %s", event.type(), event.jobId()));
    }
}
