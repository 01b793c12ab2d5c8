package dev.framewright.projector.fold;

import dev.framewright.events.JobEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.ZoneOffset;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Applies one event to the read model in one transaction. The event id is recorded in the same transaction, so a
 * redelivered event changes nothing.
 */
@ApplicationScoped
public class ReadModelWriter {

    /**
     * Transient database trouble is retried with exponential backoff (about half a minute in all); what still fails
     * after that fails the channel, so health goes DOWN and the service is restarted, rather than skipping an event
     * and silently diverging. (Mutiny's retry: the SmallRye Fault Tolerance extension is not served at our Quarkus
     * version by the mirror we build from.)
     */
    public Uni<Void> apply(JobEvent event) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> fold(session, event)))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(10)).atMost(8);
    }

    private static Uni<Void> fold(Mutiny.Session session, JobEvent event) {
        return session.createNativeQuery(
                        "INSERT INTO applied_events (event_id, job_id, type) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
                .setParameter(1, event.eventId())
                .setParameter(2, event.jobId())
                .setParameter(3, event.type())
                .executeUpdate()
                .flatMap(inserted -> inserted == 0 ? Uni.createFrom().voidItem() : foldNew(session, event));
    }

    /**
     * job-api seeds a job's row concurrently, so the row is created with an upsert and then locked: whichever
     * writer comes first, the fold applies to the one row.
     */
    private static Uni<Void> foldNew(Mutiny.Session session, JobEvent event) {
        return session.createNativeQuery("""
                        INSERT INTO jobs (id, tenant, status, created_at, updated_at)
                        VALUES (?1, ?2, 'queued', ?3, ?3) ON CONFLICT (id) DO NOTHING""")
                .setParameter(1, event.jobId())
                .setParameter(2, event.tenant())
                .setParameter(3, event.time().atOffset(ZoneOffset.UTC))
                .executeUpdate()
                .flatMap(ignored -> session.find(JobEntity.class, event.jobId(), LockModeType.PESSIMISTIC_WRITE))
                .invoke(row -> JobFold.apply(row, event))
                .replaceWithVoid();
    }
}
