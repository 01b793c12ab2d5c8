package dev.framewright.projector.kafka;

import dev.framewright.events.JobEvent;
import dev.framewright.projector.fold.JobEntity;
import dev.framewright.projector.fold.JobFold;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Folds every job event into the read model, one transaction per event. The event id is recorded in the same
 * transaction, so a redelivered event is recognised and changes nothing; the offset is committed only after the
 * transaction, so a crash re-folds at most the events of the last uncommitted batch.
 */
@ApplicationScoped
public class JobEventProjector {

    public static final String CHANNEL = "job-events";

    private static final Logger LOG = Logger.getLogger(JobEventProjector.class);

    @Incoming(CHANNEL)
    public Uni<Void> project(JobEvent event) {
        if (event == null) {
            // A type newer than this projector knows: skip it rather than stop the partition.
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> fold(session, event)))
                .onFailure().invoke(e -> LOG.errorf(e, "Could not fold %s of job %s", event.type(), event.jobId()));
    }

    private static Uni<Void> fold(Mutiny.Session session, JobEvent event) {
        return session.createNativeQuery(
                        "INSERT INTO applied_events (event_id, job_id, type) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
                .setParameter(1, event.eventId())
                .setParameter(2, event.jobId())
                .setParameter(3, event.type())
                .executeUpdate()
                .flatMap(inserted -> inserted == 0
                        ? Uni.createFrom().voidItem()
                        : session.find(JobEntity.class, event.jobId()).flatMap(row -> apply(session, row, event)));
    }

    private static Uni<Void> apply(Mutiny.Session session, JobEntity existing, JobEvent event) {
        if (existing != null) {
            JobFold.apply(existing, event);
            return Uni.createFrom().voidItem();
        }
        JobEntity row = JobFold.newRow(event);
        JobFold.apply(row, event);
        return session.persist(row);
    }
}
