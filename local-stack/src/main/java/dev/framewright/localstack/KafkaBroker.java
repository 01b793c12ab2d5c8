package dev.framewright.localstack;

import dev.framewright.events.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/** A single-node Kafka (KRaft: broker and controller in one) running inside this JVM. */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    private final int port;
    private final KafkaRaftServer server;

    private KafkaBroker(int port, KafkaRaftServer server) {
        this.port = port;
        this.server = server;
    }

    /** Starts the broker on {@code 127.0.0.1:port}, keeping its log in {@code logDir} (formatted on first use, reused afterwards). */
    public static KafkaBroker start(Path logDir, int port, int controllerPort) throws Exception {
        KafkaConfig config = new KafkaConfig(serverProperties(logDir, port, controllerPort));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(logDir);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        KafkaBroker broker = new KafkaBroker(port, server);
        try {
            createTopics(broker.bootstrapServers());
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        LOG.info("Kafka ready on {}", broker.bootstrapServers());
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private static Properties serverProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        // A static one-voter quorum: nothing about the quorum is written into the formatted storage.
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        // One node: every internal topic must do with one replica.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("remote.log.metadata.topic.replication.factor", "1");
        // Fewer internal partitions start faster on a small machine (defaults are 50).
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.num.partitions", "5");
        // Consumers join at once instead of waiting 3 s for more members.
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private static void format(Path logDir) throws Exception {
        Files.createDirectories(logDir);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName("CONTROLLER")
                .addDirectory(logDir.toAbsolutePath().toString())
                .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                .run();
        LOG.info("Formatted Kafka storage in {}", logDir);
    }

    /** The request topic of every local queue, the lifecycle topic and the dead-letter topic. */
    public static final List<String> TOPICS = Stream.concat(LocalStack.QUEUES.stream().map(Topics::requests),
            Stream.of(Topics.JOB_LIFECYCLE, Topics.DEAD_LETTER)).toList();

    /** Creates {@link #TOPICS} on any broker (existing ones are kept) and waits until their partitions are served. */
    public static void createTopics(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (String topic : TOPICS) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Topics.DEFAULT_PARTITIONS, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitPartitionsServed(admin);
        }
    }

    /**
     * A created topic is in the metadata before its partitions are served: until then a produce fails with
     * "This server does not host this topic-partition". Offsets are answered by the partition leader itself, so
     * once every partition answers one, clients can use the topics.
     */
    private static void awaitPartitionsServed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (String topic : TOPICS) {
            for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
                partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                admin.listOffsets(partitions).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
