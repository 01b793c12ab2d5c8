package dev.framewright.projector.kafka;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventJson;
import dev.framewright.projector.ProjectorConfig;
import dev.framewright.projector.park.ParkMetrics;
import dev.framewright.projector.park.ParkedRecord;
import dev.framewright.projector.park.ParkedRecords;
import dev.framewright.projector.store.ReadModelStore;
import dev.framewright.projector.store.ReceivedEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Folds every job event of every queue's request topic and the lifecycle topic, a polled batch at a time, in one
 * transaction per batch. Offsets are committed only after the batch is done, so a crash re-reads events the store
 * then recognises by id and skips.
 *
 * <p>No record can stop the fold. A batch the database or the fold refuses for a reason that retrying cannot change
 * ({@link Failures}) is split in halves until the record at fault fails alone; every other record commits, and that
 * one is <em>parked</em> ({@code parked_records}, with its coordinates, reason and raw bytes; re-read after a
 * restart it parks nothing twice). Bodies that are not job events are parked as they arrive. Transient failures
 * (connection lost, serialization failure, deadlock, shutdown) are retried with backoff for {@code
 * framewright.projector.transient-retry-for} and never park; a database away for longer stops the channel (health
 * DOWN, restart) rather than parking good records.
 */
@ApplicationScoped
public class JobEventProjector {

    public static final String CHANNEL = "job-events";

    private static final Logger LOG = Logger.getLogger(JobEventProjector.class);
    private static final long REPORT_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final ReadModelStore store;
    private final ParkedRecords parked;
    private final FoldMetrics metrics;
    private final ParkMetrics parkMetrics;
    private final Duration retryFor;
    private final AtomicLong folded = new AtomicLong();
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());

    public JobEventProjector(ReadModelStore store, ParkedRecords parked, FoldMetrics metrics,
            ParkMetrics parkMetrics, ProjectorConfig config) {
        this.store = store;
        this.parked = parked;
        this.metrics = metrics;
        this.parkMetrics = parkMetrics;
        this.retryFor = config.transientRetryFor();
    }

    /** One polled record with its coordinates. */
    record Polled(String topic, int partition, long offset, String key, DecodedRecord value) {

        static Polled of(ConsumerRecord<String, DecodedRecord> r) {
            return new Polled(r.topic(), r.partition(), r.offset(), r.key(), r.value());
        }

        ReceivedEvent event() {
            return value.event();
        }
    }

    @Incoming(CHANNEL)
    @SuppressWarnings("unchecked")
    public Uni<Void> project(Message<List<DecodedRecord>> batch) {
        IncomingKafkaRecordBatchMetadata<String, DecodedRecord> metadata = batch
                .getMetadata(IncomingKafkaRecordBatchMetadata.class).orElseThrow(() -> new IllegalStateException(
                        "The " + CHANNEL + " channel must be a Kafka batch channel"));
        List<Polled> events = new ArrayList<>();
        List<Polled> bad = new ArrayList<>();
        int unknown = 0;
        for (ConsumerRecord<String, DecodedRecord> r : metadata.getRecords()) {
            Polled in = Polled.of(r);
            if (in.value() == null) {
                // Only if a deserializer other than ours is configured: park what we know.
                bad.add(new Polled(in.topic(), in.partition(), in.offset(), in.key(), DecodedRecord.bad(null, null,
                        ParkReason.EMPTY_RECORD, "The record could not be deserialized")));
            } else if (in.value().isEvent()) {
                events.add(in);
            } else if (in.value().isUnknownType()) {
                unknown++;
            } else {
                bad.add(in);
            }
        }
        if (unknown > 0) {
            LOG.debugf("Skipped %d records of event types this projector does not know", unknown);
            parkMetrics.skipped("unknown_type", unknown);
        }
        Uni<Void> done = events.isEmpty() ? Uni.createFrom().voidItem() : foldIsolating(events);
        for (Polled in : bad) {
            done = done.chain(() -> park(in, ParkedRecord.DECODE, in.value().reason(), null, in.value().detail()));
        }
        return done.chain(() -> Uni.createFrom().completionStage(batch::ack))
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf(e, "Could not fold a batch of %d records; the channel stops", events.size());
                    return Uni.createFrom().completionStage(() -> batch.nack(e));
                });
    }

    /**
     * Folds {@code items} in one transaction; when the database or the fold refuses them for good, folds each half
     * on its own (so the good records commit), down to the single record at fault, which is parked.
     */
    Uni<Void> foldIsolating(List<Polled> items) {
        List<ReceivedEvent> events = items.stream().map(Polled::event).toList();
        long started = System.nanoTime();
        return retryingTransient(() -> store.foldReceived(events), "fold a batch of " + events.size() + " events")
                .invoke(n -> metrics.folded(events, n, System.nanoTime() - started))
                .invoke(this::count)
                .replaceWithVoid()
                .onFailure(f -> !Failures.isTransient(f)).recoverWithUni(f -> {
                    if (items.size() == 1) {
                        return park(items.get(0), ParkedRecord.FOLD, Failures.reason(f), Failures.sqlState(f),
                                Failures.message(f));
                    }
                    LOG.debugf("A batch of %d events was refused (%s); folding its halves apart", items.size(),
                            f.toString());
                    int half = items.size() / 2;
                    List<Polled> first = items.subList(0, half);
                    List<Polled> second = items.subList(half, items.size());
                    return foldIsolating(first).chain(() -> foldIsolating(second));
                });
    }

    private Uni<Void> park(Polled in, String errorClass, String reason, String sqlState, String message) {
        DecodedRecord v = in.value();
        JobEvent event = v.isEvent() ? v.event().event() : null;
        UUID jobId = event != null ? event.jobId() : uuidOrNull(in.key());
        String tenant = event != null ? event.tenant() : tenantOf(v.raw());
        ParkedRecord record = ParkedRecord.of(in.topic(), in.partition(), in.offset(), in.key(), v.ceType(),
                errorClass, reason, sqlState, message, v.raw(), jobId, tenant);
        return retryingTransient(() -> parked.park(record), "park a record").invoke(isNew -> {
            if (isNew) {
                LOG.warnf("Parked %s-%d@%d (job %s, tenant %s): %s: %s", in.topic(), in.partition(), in.offset(),
                        jobId, tenant, reason, message);
                parkMetrics.parked(reason);
                parkMetrics.refresh();
            }
        }).replaceWithVoid();
    }

    private <T> Uni<T> retryingTransient(Supplier<Uni<? extends T>> work, String what) {
        return Uni.createFrom().<T>deferred(work)
                .onFailure(Failures::isTransient).invoke(e -> LOG.warnf("Could not %s, retrying: %s", what,
                        e.toString()))
                .onFailure(Failures::isTransient).retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(10))
                .expireIn(retryFor.toMillis());
    }

    private static UUID uuidOrNull(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The tenant of a body that is not a valid event, when it is JSON enough to name one: a streaming read of the
     * top-level fields (nested values skipped unread), cheap even for an over-size body.
     */
    private static String tenantOf(byte[] raw) {
        if (raw == null) {
            return null;
        }
        try (JsonParser p = JobEventJson.mapper().getFactory().createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("tenant".equals(field)) {
                    return value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (Exception e) {
            return null;
        }
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
