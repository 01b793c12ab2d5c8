package dev.framewright.projector.park;

import dev.framewright.projector.ProjectorConfig;
import dev.framewright.projector.kafka.DecodedRecord;
import dev.framewright.projector.kafka.EventDecoder;
import dev.framewright.projector.kafka.Failures;
import dev.framewright.projector.store.ReadModelStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Re-applies a parked record after a fix: decodes its stored body as the consumer would, folds it (the fold is
 * order-safe, so an old event folded late changes only what it still may), and marks it re-applied; a record that
 * still fails stays parked with the new reason. A transient database failure is the caller's to retry.
 */
@ApplicationScoped
public class Reapplier {

    private static final Logger LOG = Logger.getLogger(Reapplier.class);

    public enum Outcome { REAPPLIED, STILL_PARKED, ALREADY_REAPPLIED, NOT_FOUND }

    public record Result(long id, Outcome outcome, String errorCode, String errorMessage) {
    }

    private final ParkedRecords parked;
    private final ReadModelStore store;
    private final ParkMetrics metrics;
    private final int maxBytes;

    public Reapplier(ParkedRecords parked, ReadModelStore store, ParkMetrics metrics, ProjectorConfig config) {
        this.parked = parked;
        this.store = store;
        this.metrics = metrics;
        this.maxBytes = config.maxRecordBytes();
    }

    public Uni<Result> reapply(long id) {
        return parked.get(id).chain(found -> found.map(this::reapply)
                .orElseGet(() -> Uni.createFrom().item(new Result(id, Outcome.NOT_FOUND, null, null))))
                .invoke(metrics::refresh);
    }

    /** Every unresolved record, oldest first, at most {@code limit}. */
    public Uni<List<Result>> reapplyAll(int limit) {
        return parked.list(0, limit, false).chain(records -> {
            Uni<List<Result>> all = Uni.createFrom().<List<Result>>item(new ArrayList<>());
            for (ParkedRecord r : records) {
                all = all.chain(results -> reapply(r).map(result -> {
                    results.add(result);
                    return results;
                }));
            }
            return all;
        }).invoke(metrics::refresh);
    }

    private Uni<Result> reapply(ParkedRecord r) {
        if (r.reappliedAt() != null) {
            return Uni.createFrom().item(new Result(r.id(), Outcome.ALREADY_REAPPLIED, null, null));
        }
        DecodedRecord decoded = EventDecoder.decode(r.ceType(), r.payload(), maxBytes);
        if (decoded.isUnknownType()) {
            // Nothing this projector folds: skipped, as the consumer would.
            return parked.reapplied(r.id()).replaceWith(new Result(r.id(), Outcome.REAPPLIED, null, null));
        }
        if (decoded.isBad()) {
            return parked.stillParked(r.id(), ParkedRecord.DECODE, decoded.reason(), null, decoded.detail())
                    .replaceWith(new Result(r.id(), Outcome.STILL_PARKED, decoded.reason(), decoded.detail()));
        }
        return store.foldReceived(List.of(decoded.event()))
                .chain(n -> parked.reapplied(r.id()))
                .invoke(() -> LOG.infof("Re-applied parked record %d (%s-%d@%d)", r.id(), r.topic(), r.partition(),
                        r.offset()))
                .replaceWith(new Result(r.id(), Outcome.REAPPLIED, null, null))
                .onFailure(f -> !Failures.isTransient(f)).recoverWithUni(f -> {
                    String reason = Failures.reason(f);
                    String message = Failures.message(f);
                    return parked.stillParked(r.id(), ParkedRecord.FOLD, reason, Failures.sqlState(f), message)
                            .replaceWith(new Result(r.id(), Outcome.STILL_PARKED, reason, message));
                });
    }
}
