package dev.framewright.projector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobProgress;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** The projector on real Kafka and PostgreSQL: topics in, read model and history out. */
@QuarkusTest
@QuarkusTestResource(ProjectorStackResource.class)
class ProjectorKafkaTest extends StackTestSupport {

    private static final Logger LOG = Logger.getLogger(ProjectorKafkaTest.class);

    @Test
    void foldsAJobFromANewQueuesTopicAndTheLifecycleTopic() {
        String queue = "gpu-" + Long.toHexString(System.nanoTime());
        Lifecycles job = Lifecycles.newJob();
        JobCompleted completed = job.completed(1, 9);
        // Nothing listens there: the notification stays queued, which is all this test looks at.
        send(Topics.requests(queue), job.requested(queue, new Webhook("http://127.0.0.1:9/hook", false)));
        send(Topics.JOB_LIFECYCLE, job.started(1, 1), job.progress(1, 2, 40), completed);

        // The queue's topic did not exist when the projector subscribed: the pattern picks it up within the
        // metadata refresh, usually after the lifecycle already made the job succeed (the fold is order-safe).
        await("the job to succeed", Duration.ofSeconds(60), () -> "succeeded".equals(status(job.jobId())));
        await("the request on the queue's topic", Duration.ofSeconds(60), () -> queue.equals(
                one("SELECT queue FROM jobs WHERE id = $1", job.jobId()).getString(0)));

        // The webhook became known after the terminal event: it still hears of it, once.
        await("the notification", Duration.ofSeconds(30), () -> count(
                "SELECT count(*) FROM webhook_deliveries WHERE job_id = $1 AND event_id = $2", job.jobId(),
                completed.eventId()) == 1);
        assertThat(count("SELECT count(*) FROM webhook_deliveries WHERE job_id = $1", job.jobId())).isEqualTo(1);

        Row row = one("SELECT * FROM jobs WHERE id = $1", job.jobId());
        assertThat(row.getString("queue")).isEqualTo(queue);
        assertThat(row.getString("tenant")).isEqualTo("acme");
        assertThat(row.getInteger("attempt")).isEqualTo(1);
        assertThat(row.getDouble("progress_percent")).isEqualTo(100);
        assertThat(row.getInteger("max_duration_seconds")).isEqualTo(600);
        assertThat((JsonObject) row.getValue("labels")).isEqualTo(new JsonObject().put("project", "apollo"));
        assertThat(((JsonObject) row.getValue("input")).getString("filename")).isEqualTo("clip.mp4");
        assertThat(((JsonObject) row.getValue("input_media")).getInteger("width")).isEqualTo(1280);
        assertThat(row.getOffsetDateTime("finished_at").toInstant()).isEqualTo(completed.time());
        JsonArray outputs = (JsonArray) row.getValue("outputs");
        assertThat(outputs).hasSize(2);
        JsonObject small = outputs.getJsonObject(0);
        assertThat(small.getString("name")).isEqualTo("small");
        assertThat(small.getString("type")).isEqualTo("video");
        assertThat(small.getString("status")).isEqualTo("succeeded");
        assertThat(small.getJsonObject("spec").getString("type")).isEqualTo("video");
        assertThat(small.getJsonObject("spec").getInteger("width")).isEqualTo(640);
        assertThat(small.getJsonArray("files").getJsonObject(0).getString("key"))
                .isEqualTo("jobs/" + job.jobId() + "/small/video.mp4");
        assertThat(small.getJsonObject("media").getInteger("height")).isEqualTo(360);

        List<Row> history = new ArrayList<>();
        query("SELECT * FROM job_events WHERE job_id = $1 ORDER BY seq", job.jobId()).forEach(history::add);
        assertThat(history).extracting(r -> r.getString("type")).containsExactlyInAnyOrder(
                "framewright.job.requested.v1", "framewright.job.started.v1", "framewright.job.progress.v1",
                "framewright.job.completed.v1");
        Row last = history.stream().filter(r -> r.getString("type").equals(completed.type())).findFirst().orElseThrow();
        JsonObject payload = (JsonObject) last.getValue("payload");
        assertThat(payload.getString("eventId")).isEqualTo(completed.eventId().toString());
        assertThat(payload.getJsonArray("outputs")).hasSize(2);
        assertThat(last.getInteger("attempt")).isEqualTo(1);
        assertThat(last.getOffsetDateTime("time").toInstant()).isEqualTo(completed.time());
    }

    @Test
    void aRedeliveredEventIsFoldedOnce() {
        Lifecycles job = Lifecycles.newJob();
        JobProgress progress = job.progress(1, 2, 40);
        send(Topics.JOB_REQUESTS, job.requested(Topics.DEFAULT_QUEUE, null));
        send(Topics.JOB_LIFECYCLE, job.started(1, 1), progress, progress, job.progress(1, 3, 45));
        send(Topics.JOB_LIFECYCLE, progress);
        JobEvent marker = job.progress(1, 4, 50);
        send(Topics.JOB_LIFECYCLE, marker);

        // Same key, same partition: once the marker is folded, both copies were read.
        await("the marker", Duration.ofSeconds(30),
                () -> count("SELECT count(*) FROM job_events WHERE event_id = $1", marker.eventId()) == 1);
        assertThat(count("SELECT count(*) FROM job_events WHERE event_id = $1", progress.eventId())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM job_events WHERE job_id = $1", job.jobId())).isEqualTo(5);
        assertThat(one("SELECT progress_percent FROM jobs WHERE id = $1", job.jobId()).getDouble(0)).isEqualTo(50);
    }

    @Test
    void theDeadLetterTopicIsNotFolded() throws InterruptedException {
        Lifecycles dead = Lifecycles.newJob();
        send(Topics.DEAD_LETTER, dead.requested(Topics.DEFAULT_QUEUE, null));
        // Past the projector's metadata refresh, so it would have subscribed to the new topic by now if it matched.
        Thread.sleep(6_000);
        Lifecycles live = Lifecycles.newJob();
        send(Topics.JOB_LIFECYCLE, live.started(1, 1));
        await("the live job", Duration.ofSeconds(30), () -> "running".equals(status(live.jobId())));
        Thread.sleep(1_000);

        assertThat(status(dead.jobId())).isNull();
        assertThat(count("SELECT count(*) FROM job_events WHERE job_id = $1", dead.jobId())).isZero();
    }

    @Test
    void foldsTwentyThousandEventsInBatches() {
        int jobs = 2_000;
        List<UUID> ids = new ArrayList<>();
        List<JobEvent> requests = new ArrayList<>();
        List<JobEvent> lifecycle = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            Lifecycles job = Lifecycles.newJob();
            ids.add(job.jobId());
            requests.add(job.requested(Topics.DEFAULT_QUEUE, null));
            lifecycle.add(job.started(1, 1));
            for (int p = 1; p <= 7; p++) {
                lifecycle.add(job.progress(1, 1 + p, p * 12.5));
            }
            lifecycle.add(job.completed(1, 10));
        }
        int events = requests.size() + lifecycle.size();
        UUID[] idArray = ids.toArray(UUID[]::new);

        long start = System.nanoTime();
        send(Topics.JOB_REQUESTS, requests.toArray(JobEvent[]::new));
        send(Topics.JOB_LIFECYCLE, lifecycle.toArray(JobEvent[]::new));
        long produced = System.nanoTime();
        await(events + " events folded", Duration.ofMinutes(3),
                () -> count("SELECT count(*) FROM job_events WHERE job_id = ANY($1)", (Object) idArray) == events);
        long folded = System.nanoTime();

        LOG.infof("Batching: %d events produced in %.2f s, all folded %.2f s after the first send (%.0f events/s "
                + "end to end on this shared machine)", events, (produced - start) / 1e9, (folded - start) / 1e9,
                events / ((folded - start) / 1e9));
        assertThat(count("SELECT count(*) FROM jobs WHERE id = ANY($1) AND status = 'succeeded' "
                + "AND progress_percent = 100", (Object) idArray)).isEqualTo(jobs);
    }

    private String status(UUID jobId) {
        Row row = one("SELECT status FROM jobs WHERE id = $1", jobId);
        return row == null ? null : row.getString(0);
    }
}
