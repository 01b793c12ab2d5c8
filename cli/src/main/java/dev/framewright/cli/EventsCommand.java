package dev.framewright.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framewright.events.CloudEventHeaders;
import dev.framewright.events.JobCanceled;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventDeserializer;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobExpired;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobStarted;
import dev.framewright.events.KafkaClientEnvironment;
import dev.framewright.events.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Tails {@value Topics#JOB_LIFECYCLE} straight from Kafka (every tenant's jobs: an operator's view). Reads without
 * a consumer group, so tailing never moves anyone's offsets.
 */
@Command(name = "events", description = "Tail the Kafka lifecycle topic (every tenant's jobs) as readable lines or JSON.")
class EventsCommand implements Callable<Integer> {

    private static final java.util.Set<String> TERMINAL = java.util.Set.of("completed", "failed", "canceled", "expired");

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka (env "
            + "KAFKA_BOOTSTRAP_SERVERS; default: the local stack's 127.0.0.1:19092).")
    String bootstrap;

    @Option(names = "--from-beginning", description = "Start at the oldest retained event instead of now.")
    boolean fromBeginning;

    @Option(names = "--job", paramLabel = "ID", description = "Only this job's events; stops after its terminal event.")
    String job;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N events.")
    Integer max;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop after this long.")
    Integer timeout;

    @Option(names = "--json", description = "One JSON object per line: the event as on the topic, plus \"type\".")
    boolean json;

    @Override
    public Integer call() {
        String servers = bootstrap != null ? bootstrap : main.env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092");
        String jobFilter = job == null ? null : ApiCommand.jobId(job);
        // SASL and TLS come from the same KAFKA_* variables the services read.
        Properties props = KafkaClientEnvironment.properties(main.env,
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "framewright-cli-events");
        var out = spec.commandLine().getOut();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout * 1_000_000_000L;
        int seen = 0;
        JobEventDeserializer deserializer = new JobEventDeserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(Topics.JOB_LIFECYCLE, Duration.ofSeconds(15));
            } catch (TimeoutException e) {
                throw new CliException(Main.EXIT_UNREACHABLE, "Cannot reach Kafka at " + servers
                        + ". Set --bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS.");
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toList());
            consumer.assign(assigned);
            if (fromBeginning) {
                consumer.seekToBeginning(assigned);
            } else {
                consumer.seekToEnd(assigned);
            }
            boolean over = false;
            while (!over && System.nanoTime() < deadline && (max == null || seen < max)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (jobFilter != null && !jobFilter.equals(record.key())) {
                        continue;
                    }
                    String type = header(record, CloudEventHeaders.TYPE);
                    if (json) {
                        ObjectNode node = (ObjectNode) JobEventJson.mapper().readTree(record.value());
                        node.put("type", type);
                        out.println(JobEventJson.mapper().writeValueAsString(node));
                    } else {
                        JobEvent event = deserializer.deserialize(record.topic(), record.headers(), record.value());
                        out.println(event == null ? record.key() + "  " + type : line(event));
                    }
                    out.flush();
                    if (jobFilter != null && TERMINAL.contains(type)) {
                        over = true;
                        break;
                    }
                    if (max != null && ++seen >= max) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new CliException(Main.EXIT_API, "An event on the topic is not JSON: " + e.getMessage());
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            return Main.EXIT_INTERRUPTED;
        }
        return Main.EXIT_OK;
    }

    static String line(JobEvent event) {
        String what;
        if (event instanceof JobStarted s) {
            what = "started    attempt " + s.attempt() + " on " + s.worker();
        } else if (event instanceof JobProgress p) {
            what = String.format(Locale.ROOT, "progress   %3.0f%% %s%s%s", p.percent(), p.stage(),
                    p.fps() > 0 ? String.format(Locale.ROOT, " %.0f fps", p.fps()) : "",
                    p.etaSeconds() != null ? " ETA " + Watcher.duration(p.etaSeconds()) : "")
                    + (p.outputs() == null ? "" : p.outputs().entrySet().stream()
                            .map(o -> String.format(Locale.ROOT, " %s=%.0f%%", o.getKey(), o.getValue()))
                            .collect(Collectors.joining()));
        } else if (event instanceof JobCompleted c) {
            what = "completed  " + c.outputs().stream().map(o -> o.name()).collect(Collectors.joining(","));
        } else if (event instanceof JobFailed f) {
            what = "failed     " + f.code() + ": " + f.message();
        } else if (event instanceof JobCanceled) {
            what = "canceled";
        } else if (event instanceof JobExpired) {
            what = "expired";
        } else {
            what = event.type();
        }
        return event.time() + "  " + event.jobId() + "  " + event.tenant() + "  " + what;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        String type = header == null ? "unknown" : new String(header.value(), StandardCharsets.UTF_8);
        // framewright.job.progress.v1 → progress, as the API's event stream names them.
        return type.replaceFirst("^framewright\\.job\\.", "").replaceFirst("\\.v\\d+$", "");
    }
}
