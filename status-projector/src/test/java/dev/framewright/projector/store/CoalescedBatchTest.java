package dev.framewright.projector.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.FailureCode;
import dev.framewright.events.JobCanceled;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobStarted;
import dev.framewright.events.OutputFailure;
import dev.framewright.events.OutputType;
import dev.framewright.events.Topics;
import dev.framewright.events.Webhook;
import dev.framewright.projector.stack.Lifecycles;
import dev.framewright.projector.stack.ProjectorStackResource;
import dev.framewright.projector.stack.StackTestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One batch (one transaction) holding many progress events and the ends of several jobs, on the real PostgreSQL:
 * the fold skips superseded progress, yet every event is in the history and every row ends as the events say.
 */
@QuarkusTest
@QuarkusTestResource(ProjectorStackResource.class)
class CoalescedBatchTest extends StackTestSupport {

    @Inject
    ReadModelStore store;

    @Test
    void aBatchOfProgressAndEndsFoldsToTheRowsTheEventsDescribe() {
        Lifecycles done = Lifecycles.newJob();
        Lifecycles failing = Lifecycles.newJob();
        Lifecycles canceled = Lifecycles.newJob();
        Lifecycles running = Lifecycles.newJob();
        Lifecycles hooked = Lifecycles.newJob();
        List<JobEvent> batch = new ArrayList<>();
        for (Lifecycles job : List.of(done, failing, canceled, running)) {
            batch.add(job.requested(Topics.DEFAULT_QUEUE, null));
            batch.add(job.started(1, 1));
        }
        // A receiver that wants progress: nothing listens there, the outbox rows are what this test looks at.
        batch.add(hooked.requested(Topics.DEFAULT_QUEUE, new Webhook("http://127.0.0.1:9/hook", true)));
        batch.add(hooked.started(1, 1));
        // The jobs' progress interleaved, as one partition's poll holds it.
        for (int p = 1; p <= 8; p++) {
            batch.add(done.progress(1, 1 + p, p * 11));
            batch.add(failing.progress(1, 1 + p, p * 10, Map.of("small", p * 12.0, "poster", p * 4.0)));
            batch.add(canceled.progress(1, 1 + p, p * 5));
            batch.add(running.progress(1, 1 + p, p * 9, Map.of("small", p * 9.0, "poster", p * 3.0)));
            batch.add(hooked.progress(1, 1 + p, p * 12));
        }
        batch.add(done.completed(1, 20));
        batch.add(new JobFailed(UUID.randomUUID(), failing.jobId(), "acme", 1, failing.t0().plusSeconds(20),
                FailureCode.INVALID_OUTPUT.wireName(), "poster failed", null, List.of(),
                List.of(new OutputFailure("poster", OutputType.IMAGE, "invalid_output", "poster failed"))));
        batch.add(new JobCanceled(UUID.randomUUID(), canceled.jobId(), "acme", 1, canceled.t0().plusSeconds(15)));
        // Progress after the end, in the same batch (a worker that had not yet seen the cancel): changes nothing.
        JobProgress late = canceled.progress(1, 16, 90);
        batch.add(late);
        batch.add(canceled.progress(1, 17, 95));
        batch.add(hooked.completed(1, 20));
        // A redelivered copy within the batch is stored once.
        batch.add(batch.get(12));

        int fresh = store.fold(batch).await().atMost(Duration.ofSeconds(30));
        assertThat(fresh).isEqualTo(batch.size() - 1);

        Row d = job(done.jobId());
        assertThat(d.getString("status")).isEqualTo("succeeded");
        assertThat(d.getDouble("progress_percent")).isEqualTo(100);
        assertThat(outputs(d)).containsExactly(Map.entry("small", "succeeded:100.0"),
                Map.entry("poster", "succeeded:100.0"));
        assertThat(d.getOffsetDateTime("updated_at").toInstant()).isEqualTo(done.t0().plusSeconds(20));

        Row f = job(failing.jobId());
        assertThat(f.getString("status")).isEqualTo("failed");
        assertThat(f.getString("error_code")).isEqualTo("invalid_output");
        // The failed output keeps the progress it had reached; the other one ends as the job did.
        assertThat(outputs(f)).containsExactly(Map.entry("small", "failed:96.0"), Map.entry("poster", "failed:32.0"));

        Row c = job(canceled.jobId());
        assertThat(c.getString("status")).isEqualTo("canceled");
        assertThat(c.getDouble("progress_percent")).isEqualTo(40);
        assertThat(c.getString("progress_stage")).isEqualTo("canceled");
        assertThat(c.getOffsetDateTime("canceled_at").toInstant()).isEqualTo(canceled.t0().plusSeconds(15));
        // updated_at is the newest event time, that of the ignored late progress.
        assertThat(c.getOffsetDateTime("updated_at").toInstant()).isEqualTo(canceled.t0().plusSeconds(17));

        Row r = job(running.jobId());
        assertThat(r.getString("status")).isEqualTo("running");
        assertThat(r.getDouble("progress_percent")).isEqualTo(72);
        assertThat(r.getDouble("progress_eta_seconds")).isEqualTo(28);
        assertThat(r.getOffsetDateTime("started_at").toInstant()).isEqualTo(running.t0().plusSeconds(1));
        assertThat(outputs(r)).containsExactly(Map.entry("small", "running:72.0"), Map.entry("poster", "running:24.0"));

        // Every event is in the history, in the order of the batch.
        for (Lifecycles job : List.of(done, failing, canceled, running, hooked)) {
            List<UUID> expected = batch.stream().filter(e -> e.jobId().equals(job.jobId())).map(JobEvent::eventId)
                    .distinct().toList();
            List<UUID> stored = new ArrayList<>();
            query("SELECT event_id FROM job_events WHERE job_id = $1 ORDER BY seq", job.jobId())
                    .forEach(row -> stored.add(row.getUUID(0)));
            assertThat(stored).isEqualTo(expected);
        }
        assertThat(count("SELECT count(*) FROM job_events WHERE job_id = $1 AND type = $2", canceled.jobId(),
                late.type())).isEqualTo(10);
        JsonObject payload = (JsonObject) one("SELECT payload FROM job_events WHERE event_id = $1", late.eventId())
                .getValue(0);
        assertThat(payload.getDouble("percent")).isEqualTo(90);
        assertThat(payload.getJsonObject("outputs").getDouble("small")).isEqualTo(90);

        // A webhook that wants progress hears of every milestone (12..96 %: 25, 50, 75) and of the end: no progress
        // it would hear of is skipped.
        assertThat(count("SELECT count(*) FROM webhook_deliveries WHERE job_id = $1 AND event_type = $2",
                hooked.jobId(), late.type())).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM webhook_deliveries WHERE job_id = $1", hooked.jobId())).isEqualTo(4);

        // Folding the batch again changes nothing.
        assertThat(store.fold(batch).await().atMost(Duration.ofSeconds(30))).isZero();
        assertThat(job(canceled.jobId()).getString("status")).isEqualTo("canceled");
    }

    @Test
    void aBatchThroughKafkaEndsTheSame() {
        Lifecycles job = Lifecycles.newJob();
        List<JobEvent> lifecycle = new ArrayList<>();
        JobStarted started = job.started(1, 1);
        lifecycle.add(started);
        for (int p = 1; p <= 30; p++) {
            lifecycle.add(job.progress(1, 1 + p, p * 3));
        }
        lifecycle.add(job.completed(1, 40));
        lifecycle.add(job.progress(1, 41, 99));
        send(Topics.JOB_REQUESTS, job.requested(Topics.DEFAULT_QUEUE, null));
        send(Topics.JOB_LIFECYCLE, lifecycle.toArray(JobEvent[]::new));

        await("the history", Duration.ofSeconds(30),
                () -> count("SELECT count(*) FROM job_events WHERE job_id = $1", job.jobId()) == lifecycle.size() + 1);
        Row row = job(job.jobId());
        assertThat(row.getString("status")).isEqualTo("succeeded");
        assertThat(row.getDouble("progress_percent")).isEqualTo(100);
        assertThat(row.getOffsetDateTime("started_at").toInstant()).isEqualTo(started.time());
        assertThat(outputs(row)).containsExactly(Map.entry("small", "succeeded:100.0"),
                Map.entry("poster", "succeeded:100.0"));
        // The history keeps the records' JSON: the contract's fields, camelCase.
        JsonObject payload = (JsonObject) one("SELECT payload FROM job_events WHERE event_id = $1",
                lifecycle.get(5).eventId()).getValue(0);
        assertThat(payload.getString("jobId")).isEqualTo(job.jobId().toString());
        assertThat(payload.getDouble("percent")).isEqualTo(15);
    }

    private Row job(UUID id) {
        return one("SELECT * FROM jobs WHERE id = $1", id);
    }

    /** name → status:progress, in the row's order. */
    private static Map<String, String> outputs(Row row) {
        Map<String, String> byName = new java.util.LinkedHashMap<>();
        JsonArray outputs = (JsonArray) row.getValue("outputs");
        for (int i = 0; i < outputs.size(); i++) {
            JsonObject o = outputs.getJsonObject(i);
            byName.put(o.getString("name"), o.getString("status") + ":" + o.getDouble("progress"));
        }
        return byName;
    }
}
