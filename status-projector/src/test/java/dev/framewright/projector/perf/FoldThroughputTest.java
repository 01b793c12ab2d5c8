package dev.framewright.projector.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.JobEvent;
import dev.framewright.events.Topics;
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
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a check of behaviour: the benchmark's projection load (a request, a start, 7 progress events
 * and a completion per job) folded through Kafka and straight into the store, each a warm-up round then measured
 * rounds. Off by default; {@code -Dframewright.fold-throughput=true} runs it. Figures on a shared machine are noisy.
 */
@QuarkusTest
@QuarkusTestResource(ProjectorStackResource.class)
@EnabledIfSystemProperty(named = "framewright.fold-throughput", matches = "true")
class FoldThroughputTest extends StackTestSupport {

    private static final Logger LOG = Logger.getLogger(FoldThroughputTest.class);
    private static final int JOBS = 2_000;
    private static final int ROUNDS = 3;

    @Inject
    ReadModelStore store;

    @Test
    void throughKafka() {
        for (int round = 0; round <= ROUNDS; round++) {
            Load load = load();
            Cpu cpu = Cpu.now();
            long start = System.nanoTime();
            send(Topics.JOB_REQUESTS, load.requests.toArray(JobEvent[]::new));
            send(Topics.JOB_LIFECYCLE, load.lifecycle.toArray(JobEvent[]::new));
            long produced = System.nanoTime();
            UUID[] ids = load.ids.toArray(UUID[]::new);
            int events = load.events();
            await("the events folded", Duration.ofMinutes(3),
                    () -> count("SELECT count(*) FROM job_events WHERE job_id = ANY($1)", (Object) ids) == events);
            long folded = System.nanoTime();
            LOG.infof("Kafka round %d%s: %d events, produced in %.2f s, folded %.2f s after the first send: "
                    + "%.0f events/s; %s", round, round == 0 ? " (warm-up)" : "", events, (produced - start) / 1e9,
                    (folded - start) / 1e9, events / ((folded - start) / 1e9), cpu.since(events));
            assertThat(count("SELECT count(*) FROM jobs WHERE id = ANY($1) AND status = 'succeeded' "
                    + "AND progress_percent = 100", (Object) ids)).isEqualTo(JOBS);
        }
    }

    @Test
    void straightIntoTheStore() {
        for (int round = 0; round <= ROUNDS; round++) {
            Load load = load();
            List<JobEvent> stream = new ArrayList<>(load.requests);
            stream.addAll(load.lifecycle);
            Cpu cpu = Cpu.now();
            long start = System.nanoTime();
            for (int i = 0; i < stream.size(); i += 500) {
                store.fold(stream.subList(i, Math.min(stream.size(), i + 500))).await().atMost(Duration.ofSeconds(60));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.infof("Store round %d%s: %d events in batches of 500 folded in %.2f s: %.0f events/s; %s", round,
                    round == 0 ? " (warm-up)" : "", stream.size(), seconds, stream.size() / seconds,
                    cpu.since(stream.size()));
        }
    }

    /**
     * CPU time of this JVM (the projector, and with the Kafka path also the in-JVM broker and the producer) and of its
     * child processes (PostgreSQL): less at the mercy of the other work on the machine than wall time.
     */
    private record Cpu(long jvmNanos, long childNanos) {
        static Cpu now() {
            long jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
            long children = ProcessHandle.current().descendants()
                    .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
            return new Cpu(jvm, children);
        }

        String since(int events) {
            Cpu now = now();
            return String.format("CPU per 1000 events: JVM %.1f ms, child processes (PostgreSQL) %.1f ms",
                    (now.jvmNanos - jvmNanos) / 1e6 / (events / 1000.0),
                    (now.childNanos - childNanos) / 1e6 / (events / 1000.0));
        }
    }

    private record Load(List<UUID> ids, List<JobEvent> requests, List<JobEvent> lifecycle) {
        int events() {
            return requests.size() + lifecycle.size();
        }
    }

    /** As the benchmark produces them: each job's lifecycle events one after the other. */
    private static Load load() {
        Load load = new Load(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < JOBS; i++) {
            Lifecycles job = Lifecycles.newJob();
            load.ids.add(job.jobId());
            load.requests.add(job.requested(Topics.DEFAULT_QUEUE, null));
            load.lifecycle.add(job.started(1, 1));
            for (int p = 1; p <= 7; p++) {
                load.lifecycle.add(job.progress(1, 1 + p, p * 12.5));
            }
            load.lifecycle.add(job.completed(1, 10));
        }
        return load;
    }
}
