package dev.framewright.projector.kafka;

import dev.framewright.projector.store.ReadModelStore;
import dev.framewright.projector.store.ReceivedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Folds every job event of every queue's request topic and the lifecycle topic, a polled batch at a time, in one
 * transaction per batch. Offsets are committed only after the batch's transaction, so a crash re-reads events the
 * store then recognises by id and skips.
 */
@ApplicationScoped
public class JobEventProjector {

    public static final String CHANNEL = "job-events";

    private static final Logger LOG = Logger.getLogger(JobEventProjector.class);
    private static final long REPORT_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final ReadModelStore store;
    private final AtomicLong folded = new AtomicLong();
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    @Inject
    FoldMetrics metrics;

    public JobEventProjector(ReadModelStore store) {
        this.store = store;
    }

    /**
     * Transient database trouble (a lost connection, a deadlock, a restart) is retried with exponential backoff,
     * about half a minute in all; what still fails then fails the channel, so health goes DOWN and the service is
     * restarted, rather than skipping events and silently diverging.
     */
    @Incoming(CHANNEL)
    public Uni<Void> project(List<ReceivedEvent> records) {
        // Undecodable records, or types newer than this projector knows, arrive as null: skip them rather than
        // stop the partition.
        List<ReceivedEvent> events = records.stream().filter(Objects::nonNull).toList();
        if (events.size() < records.size()) {
            LOG.warnf("Skipped %d records on %s that are not job events this projector knows",
                    records.size() - events.size(), CHANNEL);
        }
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long started = System.nanoTime();
        return Uni.createFrom().deferred(() -> store.foldReceived(events))
                .onFailure().invoke(e -> LOG.warnf("Folding a batch of %d events failed, retrying: %s", events.size(),
                        e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(10)).atMost(8)
                .onFailure().invoke(e -> LOG.errorf(e, "Could not fold a batch of %d events", events.size()))
                .invoke(n -> metrics.folded(events, n, System.nanoTime() - started))
                .invoke(this::count)
                .replaceWithVoid();
    }

    private void count(int n) {
        long total = folded.addAndGet(n);
        long start = windowStart.get();
        long now = System.nanoTime();
        if (now - start >= REPORT_EVERY_NANOS && windowStart.compareAndSet(start, now)) {
            folded.addAndGet(-total);
            LOG.infof("Folded %d events in %.1f s (%.0f events/s)", total, (now - start) / 1e9,
                    total / ((now - start) / 1e9));
        }
    }
}
