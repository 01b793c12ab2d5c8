package dev.framewright.transcoder.oneshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.InputObject;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventDeserializer;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Topics;
import dev.framewright.localstack.LocalStack;
import dev.framewright.transcoder.events.DeadLetters;
import dev.framewright.localstack.StackConfig;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local stack (real Kafka, S3Proxy) for the transcoder's process-level tests: launched in-JVM by
 * {@code @QuarkusMainTest}, which reads where the stack is from the system properties set here, in a class loader
 * of its own (so a test resource's static handle would not be this one).
 */
final class StackFixture {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<ConsumerRecord<String, JobEvent>> lifecycle = new CopyOnWriteArrayList<>();
    private static final List<ConsumerRecord<String, JobEvent>> deadLetters = new CopyOnWriteArrayList<>();
    private static volatile boolean reading = true;
    private static Thread reader;
    private static final List<String> STACK_PROPERTIES = List.of(
            "kafka.bootstrap.servers", "quarkus.s3.endpoint-override", "framewright.storage.bucket");
    static LocalStack stack;
    private static Path stackDir;
    static S3Client s3;

    /** The stack for every launch of the class; the launches read where it is from system properties. */
    static void start() throws Exception {
        reading = true;
        lifecycle.clear();
        deadLetters.clear();
        stackDir = Files.createTempDirectory("oneshot-stack");
        stack = LocalStack.start(StackConfig.ephemeral(stackDir));
        System.setProperty("kafka.bootstrap.servers", stack.kafkaBootstrapServers());
        System.setProperty("quarkus.s3.endpoint-override", stack.s3().endpoint());
        System.setProperty("framewright.storage.bucket", stack.bucket());
        s3 = S3Client.builder().endpointOverride(URI.create(stack.s3().endpoint()))
                .region(Region.of(stack.s3().region())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(stack.s3().accessKey(), stack.s3().secretKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
        reader = new Thread(() -> {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "oneshot-test-" + UUID.randomUUID());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, JobEvent> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                    new JobEventDeserializer())) {
                consumer.subscribe(List.of(Topics.JOB_LIFECYCLE, Topics.DEAD_LETTER));
                while (reading) {
                    for (ConsumerRecord<String, JobEvent> r : consumer.poll(Duration.ofMillis(200))) {
                        (r.topic().equals(Topics.DEAD_LETTER) ? deadLetters : lifecycle).add(r);
                    }
                }
            }
        }, "stack-fixture-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static void stop() throws Exception {
        reading = false;
        reader.join(5000);
        s3.close();
        STACK_PROPERTIES.forEach(System::clearProperty);
        stack.close();
        try (var paths = Files.walk(stackDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static JobRequested request(UUID jobId, String tenant, List<? extends OutputSpec> outputs) throws Exception {
        String key = "uploads/default/" + UUID.randomUUID();
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        img.getGraphics().setColor(Color.ORANGE);
        img.getGraphics().fillRect(8, 8, 32, 24);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        s3.putObject(b -> b.bucket(stack.bucket()).key(key).contentType("image/png"),
                RequestBody.fromBytes(png.toByteArray()));
        return new JobRequested(UUID.randomUUID(), jobId, tenant, 0, Instant.now(), Topics.DEFAULT_QUEUE,
                new InputObject(key, "in.png", "image/png", png.size()), List.copyOf(outputs), Map.of(), null, null,
                null, false);
    }

    static Path itemFile(byte[] content) throws Exception {
        Path file = Files.createTempFile("work-item", ".json");
        Files.write(file, content);
        file.toFile().deleteOnExit();
        return file;
    }

    static List<JobEvent> events(UUID jobId) {
        List<JobEvent> out = new ArrayList<>();
        for (ConsumerRecord<String, JobEvent> r : lifecycle) {
            if (r.value() != null && jobId.equals(r.value().jobId())) {
                out.add(r.value());
            }
        }
        return out;
    }

    static <T extends JobEvent> T awaitEvent(UUID jobId, Class<T> type) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (JobEvent e : events(jobId)) {
                if (type.isInstance(e)) {
                    return type.cast(e);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + type.getSimpleName() + " for job " + jobId + "; got " + events(jobId));
    }

    static ConsumerRecord<String, JobEvent> awaitDeadLetter(UUID jobId) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (ConsumerRecord<String, JobEvent> r : deadLetters) {
                if (jobId.toString().equals(r.key())) {
                    return r;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no dead letter for job " + jobId);
    }
}
