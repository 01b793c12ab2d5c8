package dev.framewright.projector.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.FailureCode;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobCanceled;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobExpired;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.OutputFailure;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.OutputType;
import dev.framewright.events.VideoOutput;
import dev.framewright.projector.snapshot.ReadModelSnapshot;
import dev.framewright.projector.stack.ProjectorStackResource;
import dev.framewright.projector.stack.StackTestSupport;
import dev.framewright.projector.store.ReadModelStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A recorded stream folded into an empty read model in different deliveries Kafka allows (each job's events in
 * order, jobs interleaved arbitrarily, redelivered runs of records, arbitrary batch boundaries) ends in the same
 * state, compared with {@link ReadModelSnapshot}.
 */
@QuarkusTest
@QuarkusTestResource(ProjectorStackResource.class)
class ReplayEqualityTest extends StackTestSupport {

    @Inject
    ReadModelStore store;

    private final Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    private final List<OutputSpec> specs = List.of(VideoOutput.of("small", 640, 360), ImageOutput.of("thumb", 90, 90));

    @Test
    void foldingTheSameStreamInOtherOrdersGivesTheSameReadModel() {
        Map<UUID, List<JobEvent>> recorded = record(60, new Random(7));
        UUID[] ids = recorded.keySet().toArray(UUID[]::new);

        List<String> first = replay(interleave(recorded, new Random(1)), new Random(11), ids);
        List<String> second = replay(interleave(recorded, new Random(2)), new Random(12), ids);
        List<String> requestsFirst = replay(requestsFirst(recorded, new Random(3)), new Random(13), ids);

        assertThat(first).hasSize(recorded.size());
        assertThat(second).isEqualTo(first);
        assertThat(requestsFirst).isEqualTo(first);
        // Not trivially equal: every kind of ending is in there.
        assertThat(first).anyMatch(s -> s.contains("\"status\":\"succeeded\"") && s.contains("\"retried_attempt\":1"));
        assertThat(first).anyMatch(s -> s.contains("\"status\":\"failed\""));
        assertThat(first).anyMatch(s -> s.contains("\"status\":\"canceled\""));
        assertThat(first).anyMatch(s -> s.contains("\"expired_at\":\"20"));
    }

    @Test
    void foldsLargeBatchesQuickly() {
        Map<UUID, List<JobEvent>> recorded = record(3_000, new Random(5));
        List<JobEvent> stream = interleave(recorded, new Random(6));
        long start = System.nanoTime();
        for (int i = 0; i < stream.size(); i += 500) {
            store.fold(stream.subList(i, Math.min(stream.size(), i + 500))).await().atMost(Duration.ofSeconds(60));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        org.jboss.logging.Logger.getLogger(ReplayEqualityTest.class).infof(
                "Store: %d events in batches of 500 folded in %.2f s (%.0f events/s on this shared machine)",
                stream.size(), seconds, stream.size() / seconds);
        assertThat(count("SELECT count(*) FROM jobs WHERE id = ANY($1)", (Object) recorded.keySet().toArray(UUID[]::new)))
                .isEqualTo(recorded.size());
    }

    /** Folds into an empty read model (for these jobs) in random batches and returns the snapshot of the jobs. */
    private List<String> replay(List<JobEvent> stream, Random random, UUID[] ids) {
        query("DELETE FROM webhook_deliveries WHERE job_id = ANY($1)", (Object) ids);
        query("DELETE FROM job_events WHERE job_id = ANY($1)", (Object) ids);
        query("DELETE FROM jobs WHERE id = ANY($1)", (Object) ids);
        for (int i = 0; i < stream.size(); ) {
            int n = Math.min(stream.size() - i, 1 + random.nextInt(250));
            store.fold(stream.subList(i, i + n)).await().atMost(Duration.ofSeconds(60));
            i += n;
        }
        List<String> snapshot = new ArrayList<>();
        query("SELECT state FROM (" + ReadModelSnapshot.SQL + ") s WHERE id = ANY($1) ORDER BY id", (Object) ids)
                .forEach(r -> snapshot.add(String.valueOf((JsonObject) r.getValue(0))));
        return snapshot;
    }

    /** Jobs interleaved at random, each in its own order, with runs of records delivered again. */
    private static List<JobEvent> interleave(Map<UUID, List<JobEvent>> recorded, Random random) {
        List<Deque<JobEvent>> queues = new ArrayList<>();
        recorded.values().forEach(events -> queues.add(new ArrayDeque<>(events)));
        List<JobEvent> stream = new ArrayList<>();
        while (!queues.isEmpty()) {
            int q = random.nextInt(queues.size());
            stream.add(queues.get(q).poll());
            if (queues.get(q).isEmpty()) {
                queues.remove(q);
            }
            if (random.nextInt(40) == 0) {
                // A redelivery after a rebalance: the records since the last committed offset come again.
                int back = Math.min(stream.size(), 1 + random.nextInt(30));
                stream.addAll(new ArrayList<>(stream.subList(stream.size() - back, stream.size())));
            }
        }
        return stream;
    }

    /** The request topic read to its end before the lifecycle topic: what a rebuild from the beginning may do. */
    private static List<JobEvent> requestsFirst(Map<UUID, List<JobEvent>> recorded, Random random) {
        Map<UUID, List<JobEvent>> requests = new LinkedHashMap<>();
        Map<UUID, List<JobEvent>> lifecycle = new LinkedHashMap<>();
        recorded.forEach((id, events) -> {
            requests.put(id, events.stream().filter(e -> e instanceof JobRequested).toList());
            lifecycle.put(id, events.stream().filter(e -> !(e instanceof JobRequested)).toList());
        });
        List<JobEvent> stream = new ArrayList<>(interleave(requests, random));
        stream.addAll(interleave(lifecycle, random));
        return stream;
    }

    /** Jobs of every kind of life, each its events in the order the services emit them. */
    private Map<UUID, List<JobEvent>> record(int jobs, Random random) {
        Map<UUID, List<JobEvent>> recorded = new LinkedHashMap<>();
        for (int i = 0; i < jobs; i++) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            Instant start = t0.plusSeconds(i * 100L);
            Clock clock = new Clock(start);
            List<JobEvent> events = new ArrayList<>();
            events.add(request(id, start, 0, specs, false));
            switch (i % 6) {
                case 0 -> { // succeeds
                    run(events, id, 1, clock, random);
                    events.add(completed(id, 1, clock.next(), specs));
                }
                case 1 -> { // one output fails, a retry of it succeeds
                    run(events, id, 1, clock, random);
                    events.add(partialFailure(id, 1, clock.next()));
                    events.add(request(id, clock.next(), 1, specs.subList(1, 2), true));
                    run(events, id, 2, clock, random);
                    events.add(completed(id, 2, clock.next(), specs.subList(1, 2)));
                }
                case 2 -> { // a worker crashed: attempt 2 finishes; the job fails
                    run(events, id, 1, clock, random);
                    run(events, id, 2, clock, random);
                    events.add(JobFailed.of(UUID.randomUUID(), id, "acme", 2, clock.next(), FailureCode.STALLED,
                            "stalled"));
                }
                case 3 -> // canceled while queued, by job-api
                        events.add(new JobCanceled(UUID.randomUUID(), id, "acme", 0, clock.next()));
                case 4 -> { // canceled while running, then retried whole, succeeds, expires
                    run(events, id, 1, clock, random);
                    events.add(new JobCanceled(UUID.randomUUID(), id, "acme", 1, clock.next()));
                    events.add(request(id, clock.next(), 1, specs, true));
                    run(events, id, 2, clock, random);
                    events.add(completed(id, 2, clock.next(), specs));
                    events.add(new JobExpired(UUID.randomUUID(), id, "acme", 2, clock.next()));
                }
                default -> // still running
                        run(events, id, 1, clock, random);
            }
            recorded.put(id, events);
        }
        return recorded;
    }

    private static final class Clock {
        private Instant now;

        Clock(Instant start) {
            now = start;
        }

        Instant next() {
            now = now.plusSeconds(1);
            return now;
        }
    }

    private void run(List<JobEvent> events, UUID id, int attempt, Clock clock, Random random) {
        events.add(new JobStarted(UUID.randomUUID(), id, "acme", attempt, clock.next(), "w" + attempt));
        double percent = 0;
        for (int p = random.nextInt(6); p > 0; p--) {
            percent = Math.min(99, percent + 1 + random.nextInt(30));
            events.add(new JobProgress(UUID.randomUUID(), id, "acme", attempt, clock.next(), percent, "transcoding",
                    percent / 10, 30, 5.0, Map.of("small", percent)));
        }
    }

    private JobRequested request(UUID id, Instant time, int attempt, List<OutputSpec> outputs, boolean retry) {
        return new JobRequested(UUID.randomUUID(), id, "acme", attempt, time, "default",
                new InputObject("uploads/acme/" + id, "in.mp4", "video/mp4", 100), outputs, Map.of("n", id.toString()),
                null, null, null, retry);
    }

    private JobCompleted completed(UUID id, int attempt, Instant time, List<OutputSpec> outputs) {
        return new JobCompleted(UUID.randomUUID(), id, "acme", attempt, time, null,
                outputs.stream().map(s -> result(id, s)).toList());
    }

    private JobFailed partialFailure(UUID id, int attempt, Instant time) {
        return new JobFailed(UUID.randomUUID(), id, "acme", attempt, time, "invalid_output", "thumb failed", null,
                List.of(result(id, specs.get(0))),
                List.of(new OutputFailure("thumb", OutputType.IMAGE, "invalid_output", "thumb failed")));
    }

    private static OutputResult result(UUID id, OutputSpec spec) {
        return new OutputResult(spec.name(), spec.type(), List.of(new OutputFile("f", "jobs/" + id + "/" + spec.name()
                + "/f", 10, "application/octet-stream")), null);
    }
}
