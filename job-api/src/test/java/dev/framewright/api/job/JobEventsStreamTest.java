package dev.framewright.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.framewright.api.limits.OpenStreams;
import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobEventsChannel;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobStarted;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SSE from the job_events table, read by a plain HTTP client as a browser's EventSource would; streams woken by the
 * projector's notifications (sent here as the fold sends them), with a slow safety poll behind them.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class JobEventsStreamTest {

    record Sse(String id, String event, String data) {
    }

    private static final Sse END = new Sse(null, null, null);

    @TestHTTPResource("/")
    URL base;

    @Inject
    OpenStreams openStreams;

    @Inject
    MeterRegistry registry;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Writes the event and the row as the projector's fold would, notification included. */
    private static void append(UUID jobId, JobEvent event, String status, double percent) {
        appendSilently(jobId, event, status, percent);
        notifyJobs(jobId.toString());
    }

    /** {@link #append} without the notification: as if job-api's LISTEN connection had been down. */
    private static void appendSilently(UUID jobId, JobEvent event, String status, double percent) {
        Fixtures.sql("""
                INSERT INTO job_events (event_id, job_id, tenant, type, attempt, time, payload)
                VALUES (?, ?, 'default', ?, ?, ?, ?::jsonb)""", event.eventId(), jobId, event.type(), event.attempt(),
                java.sql.Timestamp.from(event.time()), Fixtures.json(event));
        Fixtures.sql("UPDATE jobs SET status = ?, progress_percent = ? WHERE id = ?", status, percent, jobId);
    }

    private static void notifyJobs(String payload) {
        Fixtures.sql("SELECT pg_notify(?, ?)", JobEventsChannel.NAME, payload);
    }

    /** An open stream: its events arrive on the queue, then END once the server closed it. */
    record Client(BlockingQueue<Sse> events, java.util.stream.Stream<String> body) implements AutoCloseable {
        @Override
        public void close() {
            body.close();
        }
    }

    private HttpRequest.Builder request(UUID jobId) {
        return HttpRequest.newBuilder(URI.create(base + "v1/jobs/" + jobId + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + LocalStackResource.DEV_KEY);
    }

    private BlockingQueue<Sse> open(UUID jobId, String lastEventId) throws Exception {
        return connect(jobId, lastEventId).events();
    }

    private Client connect(UUID jobId, String lastEventId) throws Exception {
        HttpRequest.Builder request = request(jobId);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.util.stream.Stream<String>> response = HTTP.send(request.build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        BlockingQueue<Sse> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            try {
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
            } catch (RuntimeException e) {
                // closed by the test
            }
            events.add(END);
        }, "sse-reader-" + jobId);
        reader.setDaemon(true);
        reader.start();
        return new Client(events, response.body());
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
        HttpResponse<String> response = HTTP.send(request(UUID.randomUUID()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void aNotificationWakesOnlyItsJobsStreamsAtOnceAndTheSafetyPollCatchesAMissedOne() throws Exception {
        Instant t = Instant.now();
        UUID notified = Jobs.insert("queued", List.of());
        UUID missed = Jobs.insert("queued", List.of());
        try (Client a = connect(notified, null); Client b = connect(missed, null)) {
            // Each stream read once on opening; its safety poll is 5 s away, so anything sooner was a notification.
            long sent = System.nanoTime();
            append(notified, new JobStarted(UUID.randomUUID(), notified, "default", 1, t, "worker-1"), "running", 0);
            Sse started = a.events().poll(2, TimeUnit.SECONDS);
            assertThat(started).as("woken by the notification within 2 s").isNotNull();
            assertThat(started.event()).isEqualTo("started");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isLessThan(2000);

            // An empty payload wakes every stream ("anything may have changed").
            appendSilently(notified, new JobProgress(UUID.randomUUID(), notified, "default", 1, t.plusSeconds(1), 10,
                    "transcoding", 1.0, 30, 9.0, Map.of()), "running", 10);
            notifyJobs("");
            assertThat(a.events().poll(2, TimeUnit.SECONDS)).as("woken by the empty payload").isNotNull()
                    .extracting(Sse::event).isEqualTo("progress");

            // No notification at all: the safety poll (5 s) still delivers it.
            appendSilently(missed, new JobStarted(UUID.randomUUID(), missed, "default", 1, t, "worker-2"), "running", 0);
            Sse late = b.events().poll(8, TimeUnit.SECONDS);
            assertThat(late).as("found by the safety poll").isNotNull();
            assertThat(late.event()).isEqualTo("started");
        }
    }

    @Test
    void fiftyIdleStreamsCostAboutTenQueriesPerSecondNotOneHundredAndSixtySix() throws Exception {
        awaitNoOpenStreams();
        UUID jobId = Jobs.insert("running", List.of());
        List<Client> clients = new ArrayList<>();
        try {
            double idle = transactionsPerSecond(5_000);
            for (int i = 0; i < 50; i++) {
                clients.add(connect(jobId, null));
            }
            Thread.sleep(1000); // past the first read of each
            double readsBefore = reads();
            long start = System.nanoTime();
            double streaming = transactionsPerSecond(10_000);
            double readsPerSecond = (reads() - readsBefore) / ((System.nanoTime() - start) / 1e9);
            System.out.printf("50 idle SSE streams: %.1f stream reads per second; %.1f database transactions per second"
                    + " (%.1f without the streams)%n", readsPerSecond, streaming, idle);
            // 50 streams / 5 s safety poll = 10/s; polling every 300 ms was 166/s.
            assertThat(readsPerSecond).isBetween(5.0, 15.0);
            // What the database saw agrees (its statistics are flushed late, hence the room).
            assertThat(streaming - idle).isLessThan(25);
        } finally {
            clients.forEach(Client::close);
        }
    }

    @Test
    void aTenantOverItsCapOfOpenStreamsIs429TooManyStreamsUntilOneCloses() throws Exception {
        awaitNoOpenStreams();
        UUID jobId = Jobs.insert("running", List.of());
        List<Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) { // %test.framewright.limits.max-event-streams
                clients.add(connect(jobId, null));
            }
            HttpResponse<String> refused = HTTP.send(request(jobId).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Long.parseLong(v)).isPositive());
            assertThat(JobEventJson.mapper().readTree(refused.body()).get("code").asText()).isEqualTo("too_many_streams");

            // A stream the client closes frees its place.
            clients.remove(0).close();
            awaitOpenStreams(49);
            clients.add(connect(jobId, null));
            assertThat(openStreams.open("default")).isEqualTo(50);
        } finally {
            clients.forEach(Client::close);
        }
    }

    /** Every stream a previous test opened has been closed on the server too. */
    private void awaitNoOpenStreams() throws InterruptedException {
        awaitOpenStreams(0);
    }

    private void awaitOpenStreams(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (openStreams.open("default") != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(openStreams.open("default")).as("open streams of the tenant").isEqualTo(expected);
    }

    private double reads() {
        return registry.counter("framewright.event.stream.reads").count();
    }

    /** Commits and rollbacks in the database per second, over {@code millis}. */
    private static double transactionsPerSecond(long millis) throws InterruptedException {
        long before = transactions();
        long start = System.nanoTime();
        Thread.sleep(millis);
        long after = transactions();
        return (after - before - 1) / ((System.nanoTime() - start) / 1e9); // reading the counter is one itself
    }

    private static long transactions() {
        try (java.sql.Connection c = Fixtures.db(); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                        + "WHERE datname = current_database()")) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
