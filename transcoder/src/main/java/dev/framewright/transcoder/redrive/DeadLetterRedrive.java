package dev.framewright.transcoder.redrive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.events.DeadLetterHeaders;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventDeserializer;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobEventSerializer;
import dev.framewright.events.JobRequested;
import dev.framewright.events.KafkaClientEnvironment;
import dev.framewright.events.Topics;
import dev.framewright.events.rules.ObjectKeys;
import dev.framewright.transcoder.storage.ControlStore;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code framewright redrive [--job ID | --all]}: publishes dead-lettered requests again, to the request topic they
 * came from, as a retry ({@code retry=true}, {@code attempt} = attempts made so far, so the read model re-opens the
 * job and the attempt numbers go on). The job's {@code unfinished} attempt count is reset first, so a quarantined
 * job gets its attempts again instead of being set aside at once.
 *
 * <p>{@code --all} redrives every dead letter not redriven before (the consumer group {@value #GROUP} remembers
 * where it got to); {@code --job} redrives the latest dead letter of one job, wherever it is. Plain Kafka and S3
 * clients, configured from the same environment variables as the services ({@code KAFKA_BOOTSTRAP_SERVERS} and
 * every other {@code KAFKA_*} client setting such as SASL and TLS, {@code FRAMEWRIGHT_S3_*}).
 */
public final class DeadLetterRedrive {

    public static final String GROUP = "framewright-redrive";
    public static final String REDRIVEN_HEADER = "framewright_redriven_from";

    private static final ObjectMapper JSON = JobEventJson.mapper();

    private DeadLetterRedrive() {
    }

    public static void main(String[] args) {
        Optional<UUID> job = Optional.empty();
        boolean all = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--job" -> job = Optional.of(UUID.fromString(args[++i]));
                case "--all" -> all = true;
                default -> {
                    System.err.println("usage: framewright redrive [--job JOB_ID] [--all]");
                    System.exit(2);
                }
            }
        }
        if (job.isEmpty() && !all) {
            System.err.println("usage: framewright redrive [--job JOB_ID] [--all]");
            System.exit(2);
        }
        int n = redrive(System.getenv(), job, System.out);
        System.exit(n >= 0 ? 0 : 1);
    }

    /**
     * @param env  {@code KAFKA_BOOTSTRAP_SERVERS}, {@code FRAMEWRIGHT_S3_ENDPOINT}, {@code FRAMEWRIGHT_S3_REGION},
     *             {@code FRAMEWRIGHT_S3_ACCESS_KEY}, {@code FRAMEWRIGHT_S3_SECRET_KEY}, {@code FRAMEWRIGHT_S3_BUCKET}
     * @param job  one job, or empty for every dead letter not redriven yet
     * @return how many requests were published again
     */
    public static int redrive(Map<String, String> env, Optional<UUID> job, PrintStream out) {
        String bootstrap = env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092");
        try (S3Client s3 = s3(env);
                KafkaConsumer<String, JobEvent> consumer = consumer(env, bootstrap, job.isEmpty());
                KafkaProducer<String, JobEvent> producer = producer(env, bootstrap)) {
            String bucket = env.getOrDefault("FRAMEWRIGHT_S3_BUCKET", "framewright-media");
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTER, Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            if (job.isPresent()) {
                consumer.seekToBeginning(partitions);
            } else {
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata c = committed.get(tp);
                    if (c == null) {
                        consumer.seekToBeginning(List.of(tp));
                    } else {
                        consumer.seek(tp, c.offset());
                    }
                }
            }
            // Latest dead letter per job, read up to the end offsets of now.
            Map<UUID, ConsumerRecord<String, JobEvent>> latest = new LinkedHashMap<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, JobEvent> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (r.value() instanceof JobRequested req && (job.isEmpty() || job.get().equals(req.jobId()))) {
                        latest.put(req.jobId(), r);
                    }
                }
            }
            int published = 0;
            for (ConsumerRecord<String, JobEvent> r : latest.values()) {
                JobRequested req = (JobRequested) r.value();
                int attempts = resetUnfinished(s3, bucket, req.jobId());
                String topic = header(r, DeadLetterHeaders.SOURCE_TOPIC)
                        .orElse(Topics.requests(req.queue() == null ? Topics.DEFAULT_QUEUE : req.queue()));
                JobRequested again = new JobRequested(UUID.randomUUID(), req.jobId(), req.tenant(),
                        Math.max(attempts, req.attempt()), Instant.now(), req.queue(), req.input(), req.outputs(),
                        req.labels(), req.webhook(), req.maxDurationSeconds(), req.expiresAt(), true);
                ProducerRecord<String, JobEvent> rec = new ProducerRecord<>(topic, req.jobId().toString(), again);
                rec.headers().add(REDRIVEN_HEADER, (r.topic() + "/" + r.partition() + "@" + r.offset())
                        .getBytes(StandardCharsets.UTF_8));
                // The redriven request goes on in the job's trace (W3C trace context from the dead letter).
                for (String trace : new String[] {"traceparent", "tracestate"}) {
                    header(r, trace).ifPresent(v -> rec.headers().add(trace, v.getBytes(StandardCharsets.UTF_8)));
                }
                producer.send(rec).get();
                published++;
                out.printf("redrove job %s (%s, after %d attempts) to %s%n", req.jobId(),
                        header(r, DeadLetterHeaders.REASON).orElse("?"), attempts, topic);
            }
            if (job.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                end.forEach((tp, offset) -> done.put(tp, new OffsetAndMetadata(offset)));
                consumer.commitSync(done);
            }
            if (published == 0) {
                out.println(job.map(j -> "no dead letter for job " + j).orElse("no dead letters to redrive"));
            }
            return published;
        } catch (Exception e) {
            out.println("redrive failed: " + e);
            return -1;
        }
    }

    /** Sets the job's unfinished attempts to 0; returns the attempts made so far. */
    static int resetUnfinished(S3Client s3, String bucket, UUID jobId) throws Exception {
        String key = ObjectKeys.attempts(jobId);
        ControlStore.Attempts attempts;
        try {
            attempts = JSON.readValue(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(),
                    ControlStore.Attempts.class);
        } catch (NoSuchKeyException e) {
            return 0;
        }
        // As if the last attempt had ended: no unfinished attempts, the count and the answer kept.
        ControlStore.Attempts reset = attempts.ended();
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromBytes(JSON.writeValueAsBytes(reset)));
        return reset.attempts();
    }

    private static Optional<String> header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    private static S3Client s3(Map<String, String> env) {
        return S3Client.builder()
                .endpointOverride(URI.create(env.getOrDefault("FRAMEWRIGHT_S3_ENDPOINT", "http://127.0.0.1:19000")))
                .region(Region.of(env.getOrDefault("FRAMEWRIGHT_S3_REGION", "us-east-1")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.getOrDefault("FRAMEWRIGHT_S3_ACCESS_KEY", "framewright"),
                        env.getOrDefault("FRAMEWRIGHT_S3_SECRET_KEY", "framewright-secret"))))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static KafkaConsumer<String, JobEvent> consumer(Map<String, String> env, String bootstrap,
            boolean grouped) {
        Properties p = KafkaClientEnvironment.properties(env, Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        if (grouped) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new JobEventDeserializer());
    }

    private static KafkaProducer<String, JobEvent> producer(Map<String, String> env, String bootstrap) {
        Properties p = KafkaClientEnvironment.properties(env, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(JobEventSerializer.SOURCE_CONFIG, "/framewright/redrive");
        JobEventSerializer serializer = new JobEventSerializer();
        serializer.configure(Map.of(JobEventSerializer.SOURCE_CONFIG, "/framewright/redrive"), false);
        return new KafkaProducer<>(p, new StringSerializer(), serializer);
    }
}
