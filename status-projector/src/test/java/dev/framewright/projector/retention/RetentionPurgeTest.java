package dev.framewright.projector.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.JobEvent;
import dev.framewright.events.Topics;
import dev.framewright.events.Webhook;
import dev.framewright.projector.stack.Lifecycles;
import dev.framewright.projector.stack.ProjectorStackResource;
import dev.framewright.projector.stack.StackTestSupport;
import dev.framewright.projector.store.ReadModelStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * On the real PostgreSQL: a job past its retention loses its history, webhook outbox and attempts, and parked
 * records (the row stays), in batches of {@code %test.framewright.projector.purge.batch-size}; a job still kept
 * loses nothing; an old parked record of no job goes, a recent one stays.
 */
@QuarkusTest
@QuarkusTestResource(ProjectorStackResource.class)
class RetentionPurgeTest extends StackTestSupport {

    @Inject
    ReadModelStore store;

    @Inject
    RetentionPurge purge;

    @Test
    void anExpiredJobLosesItsHistoryOutboxAndParkedRecordsAndAKeptJobNothing() {
        Lifecycles expired = Lifecycles.newJob();
        Lifecycles finishedLongAgo = Lifecycles.newJob();
        Lifecycles kept = Lifecycles.newJob();
        List<JobEvent> batch = new ArrayList<>();
        for (Lifecycles job : List.of(expired, finishedLongAgo, kept)) {
            batch.add(job.requested(Topics.DEFAULT_QUEUE, new Webhook("http://127.0.0.1:9/hook", true)));
            batch.add(job.started(1, 1));
            for (int p = 1; p <= 5; p++) {
                batch.add(job.progress(1, 1 + p, p * 15));
            }
            batch.add(job.completed(1, 9));
        }
        store.fold(batch).await().atMost(Duration.ofSeconds(30));
        for (Lifecycles job : List.of(expired, finishedLongAgo, kept)) {
            query("""
                    INSERT INTO webhook_attempts (delivery_id, attempt, at, status, duration_ms)
                    SELECT id, 1000, now(), 500, 3 FROM webhook_deliveries WHERE job_id = $1""", job.jobId());
            query("""
                    INSERT INTO parked_records (topic, "partition", "offset", error_class, error_code, error_message,
                                                payload, payload_bytes, job_id)
                    VALUES ($1, 0, $2, 'fold', 'fold_failed', 'test', NULL, 0, $3)""",
                    "test-" + job.jobId(), System.nanoTime(), job.jobId());
        }
        // job-api's sweeper expired one two hours ago; another finished past its expiry without a sweep yet.
        query("UPDATE jobs SET expires_at = now() - interval '3 hours', expired_at = now() - interval '2 hours' "
                + "WHERE id = $1", expired.jobId());
        query("UPDATE jobs SET expires_at = now() - interval '2 hours' WHERE id = $1", finishedLongAgo.jobId());
        query("UPDATE jobs SET expires_at = now() + interval '2 hours' WHERE id = $1", kept.jobId());
        query("""
                INSERT INTO parked_records (topic, "partition", "offset", error_class, error_code, error_message,
                                            payload, payload_bytes, parked_at)
                VALUES ('test-orphans', 0, 1, 'decode', 'malformed_json', 'old', 'x', 1, now() - interval '31 days'),
                       ('test-orphans', 0, 2, 'decode', 'malformed_json', 'new', 'x', 1, now())""");
        Map<String, Long> before = counts(kept.jobId());

        Map<String, Long> deleted = purge.purge().await().atMost(Duration.ofSeconds(60));

        for (Lifecycles job : List.of(expired, finishedLongAgo)) {
            assertThat(counts(job.jobId())).allSatisfy((table, n) -> assertThat(n).as(table).isZero());
            assertThat(one("SELECT history_purged_at FROM jobs WHERE id = $1", job.jobId()).getOffsetDateTime(0))
                    .isNotNull();
            assertThat(one("SELECT status FROM jobs WHERE id = $1", job.jobId()).getString(0)).isEqualTo("succeeded");
        }
        // The dispatcher keeps trying the kept job's receiver meanwhile: its attempts may only grow.
        Map<String, Long> after = counts(kept.jobId());
        assertThat(after).allSatisfy((table, n) -> assertThat(n).as(table).isGreaterThanOrEqualTo(before.get(table))
                .isPositive());
        assertThat(after.get("job_events")).isEqualTo(before.get("job_events"));
        assertThat(after.get("parked_records")).isEqualTo(1);
        assertThat(deleted.get("job_events")).isGreaterThanOrEqualTo(2 * 8);
        assertThat(query("SELECT error_message FROM parked_records WHERE topic = 'test-orphans'"))
                .extracting(r -> r.getString(0)).containsExactly("new");

        // A second run finds nothing due.
        assertThat(purge.purge().await().atMost(Duration.ofSeconds(30)).values()).allMatch(n -> n == 0);
    }

    private Map<String, Long> counts(UUID jobId) {
        return Map.of(
                "job_events", count("SELECT count(*) FROM job_events WHERE job_id = $1", jobId),
                "webhook_deliveries", count("SELECT count(*) FROM webhook_deliveries WHERE job_id = $1", jobId),
                "webhook_attempts", count("SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d "
                        + "ON d.id = a.delivery_id WHERE d.job_id = $1", jobId),
                "parked_records", count("SELECT count(*) FROM parked_records WHERE job_id = $1", jobId));
    }
}
