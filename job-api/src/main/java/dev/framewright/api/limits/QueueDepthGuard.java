package dev.framewright.api.limits;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Measures the queue depth: the transcoder group's total lag over every request topic
 * ({@code framewright.job-requests.*.v1}), refreshed in the background every
 * {@code framewright.limits.queue-depth-refresh}, so a submission only reads a number. While Kafka cannot be
 * asked the depth is unknown and nothing is refused here (publishing would fail with 503 anyway).
 */
@ApplicationScoped
public class QueueDepthGuard {

    private static final Logger LOG = Logger.getLogger(QueueDepthGuard.class);
    static final Pattern REQUEST_TOPIC = Pattern.compile("framewright\\.job-requests\\.[a-z0-9][a-z0-9-]{0,31}\\.v1");

    private final LimitsConfig config;
    private final Map<String, Object> kafkaConfig;
    private volatile long depth = -1;
    private Admin admin;
    private ScheduledExecutorService refresher;

    /** @param kafkaConfig every {@code kafka.*} setting (bootstrap, SASL, TLS), as the messaging channels get them */
    public QueueDepthGuard(LimitsConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
    }

    void start(@Observes StartupEvent event) {
        Map<String, Object> settings = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                settings.put(key, value); // the shared map also holds consumer and producer settings
            }
        });
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "job-api-queue-depth");
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        admin = Admin.create(settings);
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "queue-depth");
            t.setDaemon(true);
            return t;
        });
        long every = config.queueDepthRefresh().toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, 0, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }

    /** The last measured depth, or empty while unknown. */
    public OptionalLong depth() {
        long d = depth;
        return d < 0 ? OptionalLong.empty() : OptionalLong.of(d);
    }

    /** Throws 503 {@code overloaded} when the last measured depth exceeds {@code max-queue-depth}. */
    public void check() {
        long d = depth;
        if (d > config.maxQueueDepth()) {
            throw RetryLaterException.overloaded();
        }
    }

    void refresh() {
        try {
            depth = measure(admin, config.transcoderGroup());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (depth >= 0) {
                LOG.warnf("Could not measure the queue depth (%s); not refusing jobs for it until it can", e.toString());
            }
            depth = -1;
        }
    }

    /**
     * The group's lag summed over the request topics' partitions. A partition the group never committed on counts
     * from its earliest retained offset, as a new transcoder would start there.
     */
    static long measure(Admin admin, String group) throws Exception {
        Set<String> topics = admin.listTopics().names().get(5, TimeUnit.SECONDS).stream()
                .filter(t -> REQUEST_TOPIC.matcher(t).matches()).collect(Collectors.toSet());
        if (topics.isEmpty()) {
            return 0;
        }
        Set<TopicPartition> partitions = admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS)
                .values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toSet());
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = offsets(admin, partitions, OffsetSpec.latest());
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Set<TopicPartition> uncommitted = partitions.stream()
                .filter(p -> committed.get(p) == null).collect(Collectors.toSet());
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = uncommitted.isEmpty()
                ? Map.of() : offsets(admin, uncommitted, OffsetSpec.earliest());
        long lag = 0;
        for (TopicPartition p : partitions) {
            long end = ends.get(p).offset();
            OffsetAndMetadata c = committed.get(p);
            long from = c != null ? c.offset() : starts.get(p).offset();
            lag += Math.max(0, end - from);
        }
        return lag;
    }

    private static Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(Admin admin,
            Set<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        return admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
    }
}
