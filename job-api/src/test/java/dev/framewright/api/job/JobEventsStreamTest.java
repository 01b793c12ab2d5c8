package dev.framewright.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobStarted;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SSE from the job_events table, read by a plain HTTP client as a browser's EventSource would. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class JobEventsStreamTest {

    record Sse(String id, String event, String data) {
    }

    private static final Sse END = new Sse(null, null, null);

    @TestHTTPResource("/")
    URL base;

    private static void append(UUID jobId, JobEvent event, String status, double percent) {
        Fixtures.sql("""
                INSERT INTO job_events (event_id, job_id, tenant, type, attempt, time, payload)
                VALUES (?, ?, 'default', ?, ?, ?, ?::jsonb)""", event.eventId(), jobId, event.type(), event.attempt(),
                java.sql.Timestamp.from(event.time()), Fixtures.json(event));
        Fixtures.sql("UPDATE jobs SET status = ?, progress_percent = ? WHERE id = ?", status, percent, jobId);
    }

    /** Opens the stream; events arrive on the queue, then END once the server closed it. */
    private BlockingQueue<Sse> open(UUID jobId, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "v1/jobs/" + jobId + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + dev.framewright.api.testing.LocalStackResource.DEV_KEY);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        BlockingQueue<Sse> events = new LinkedBlockingQueue<>();
        CompletableFuture.runAsync(() -> {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.isEmpty()) {
                    if (name != null) {
                        events.add(new Sse(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
            events.add(END);
        });
        return events;
    }

    private static Sse next(BlockingQueue<Sse> events) throws InterruptedException {
        Sse event = events.poll(15, TimeUnit.SECONDS);
        assertThat(event).as("an event within 15 s").isNotNull();
        return event;
    }

    @Test
    void streamsHistoryThenLiveEventsResumesAfterLastEventIdAndClosesAfterTheTerminalEvent() throws Exception {
        UUID jobId = Jobs.insert("queued", List.of());
        Instant t = Instant.now();
        append(jobId, new JobStarted(UUID.randomUUID(), jobId, "default", 1, t, "worker-1"), "running", 0);
        append(jobId, new JobProgress(UUID.randomUUID(), jobId, "default", 1, t.plusSeconds(1), 40, "transcoding",
                4.0, 60, 6.0, Map.of("web", 40.0)), "running", 40);

        BlockingQueue<Sse> live = open(jobId, null);
        Sse started = next(live);
        assertThat(started.event()).isEqualTo("started");
        JsonNode startedData = JobEventJson.mapper().readTree(started.data());
        assertThat(startedData.get("worker").asText()).isEqualTo("worker-1");
        assertThat(startedData.get("job_id").asText()).isEqualTo(jobId.toString());
        Sse progress = next(live);
        assertThat(progress.event()).isEqualTo("progress");
        JsonNode progressData = JobEventJson.mapper().readTree(progress.data());
        assertThat(progressData.get("media_seconds_done").asDouble()).isEqualTo(4.0);
        assertThat(progressData.get("eta_seconds").asDouble()).isEqualTo(6.0);
        assertThat(progressData.at("/job/status").asText()).isEqualTo("running");
        assertThat(progressData.at("/job/percent").asDouble()).isEqualTo(40.0);
        assertThat(Long.parseLong(progress.id())).isGreaterThan(Long.parseLong(started.id()));

        // Nothing more until the projector folds more; then it arrives live, and the terminal event ends the stream.
        assertThat(live.poll(1, TimeUnit.SECONDS)).isNull();
        append(jobId, new JobCompleted(UUID.randomUUID(), jobId, "default", 1, t.plusSeconds(2), null, List.of()),
                "succeeded", 100);
        Sse completed = next(live);
        assertThat(completed.event()).isEqualTo("completed");
        assertThat(JobEventJson.mapper().readTree(completed.data()).at("/job/status").asText()).isEqualTo("succeeded");
        assertThat(next(live)).isSameAs(END);

        // Resuming after the first event gives exactly the rest, then closes.
        BlockingQueue<Sse> resumed = open(jobId, started.id());
        List<String> rest = new ArrayList<>();
        for (Sse e = next(resumed); e != END; e = next(resumed)) {
            rest.add(e.id() + ":" + e.event());
        }
        assertThat(rest).containsExactly(progress.id() + ":progress", completed.id() + ":completed");

        // Resuming after the terminal event: nothing left, closed at once.
        assertThat(next(open(jobId, completed.id()))).isSameAs(END);
    }

    @Test
    void unknownJobsAre404() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "v1/jobs/" + UUID.randomUUID() + "/events"))
                .header("Authorization", "Bearer " + dev.framewright.api.testing.LocalStackResource.DEV_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
    }
}
