package dev.framewright.transcoder.oneshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.ImageOutput;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventDeserializer;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.OutputFile;
import dev.framewright.events.Topics;
import dev.framewright.localstack.LocalStack;
import dev.framewright.transcoder.events.DeadLetters;
import dev.framewright.localstack.StackConfig;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
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
 * The one-shot mode on the local stack (real Kafka, S3Proxy, the real media pipeline): the process is launched with
 * a work item file, as a Kubernetes Job's pod is, and judged by its exit code and what it left on the topics and in
 * the bucket.
 */
@QuarkusMainTest
@TestProfile(OneShotProfile.class)
class OneShotModeStackTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<ConsumerRecord<String, JobEvent>> lifecycle = new CopyOnWriteArrayList<>();
    private static final List<ConsumerRecord<String, JobEvent>> deadLetters = new CopyOnWriteArrayList<>();
    private static volatile boolean reading = true;
    private static Thread reader;
    private static final List<String> STACK_PROPERTIES = List.of(
            "kafka.bootstrap.servers", "quarkus.s3.endpoint-override", "framewright.storage.bucket");
    private static LocalStack stack;
    private static Path stackDir;
    private static S3Client s3;

    /** The stack for every launch of the class; the launches read where it is from system properties. */
    @BeforeAll
    static void startStack() throws Exception {
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
        }, "oneshot-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @AfterAll
    static void stopStack() throws Exception {
        reading = false;
        reader.join(5000);
        s3.close();
        STACK_PROPERTIES.forEach(System::clearProperty);
        stack.close();
        try (var paths = Files.walk(stackDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void runsTheWorkItemToItsOutputsAndExitsZeroWithoutJoiningTheGroup(QuarkusMainLauncher launcher)
            throws Exception {
        JobRequested job = request(UUID.randomUUID(), "default", List.of(ImageOutput.of("still", 32, null)));

        LaunchResult result = launcher.launch(itemFile(JobEventJson.write(job)).toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput())
                .isEqualTo(OneShotRun.CONCLUDED);
        // The terminal event was durable before the exit: it is on the topic, not on its way.
        JobCompleted done = awaitEvent(job.jobId(), JobCompleted.class);
        assertThat(events(job.jobId()).get(0)).isInstanceOf(JobStarted.class)
                .extracting(e -> ((JobStarted) e).worker()).isEqualTo("oneshot-test");
        assertThat(done.attempt()).isEqualTo(1);
        OutputFile file = done.outputs().get(0).files().get(0);
        assertThat(file.key()).startsWith("jobs/" + job.jobId() + "/still/");
        BufferedImage still = ImageIO.read(new ByteArrayInputStream(s3.getObjectAsBytes(b -> b
                .bucket(stack.bucket()).key(file.key())).asByteArray()));
        assertThat(still.getWidth()).isEqualTo(32);
        assertThat(still.getHeight()).isEqualTo(24);
        // The attempt was counted and concluded where a consumer's would be.
        String attempts = s3.getObjectAsBytes(b -> b.bucket(stack.bucket())
                .key("jobs/" + job.jobId() + "/_control/attempts")).asUtf8String();
        assertThat(attempts).contains("\"concludedAttempt\":1");
        // The request channel never started: no member of the transcoder group came from this process.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrapServers()))) {
            assertThat(admin.listConsumerGroups().all().get()).extracting(ConsumerGroupListing::groupId)
                    .doesNotContain("transcoder");
        }

        // The Job controller runs a pod again after an exit it did not see (the node died after the send): the same
        // item is recognised as answered, nothing runs twice.
        LaunchResult again = launcher.launch(itemFile(JobEventJson.write(job)).toString());
        assertThat(again.exitCode()).isEqualTo(OneShotRun.CONCLUDED);
        assertThat(events(job.jobId()).stream().filter(JobStarted.class::isInstance)).hasSize(1);
    }

    @Test
    void refusesAnItemThatBreaksTheRulebookWithAJobFailedAndADeadLetter(QuarkusMainLauncher launcher)
            throws Exception {
        // Another tenant's upload: the rulebook refuses it before anything is read.
        JobRequested foreign = request(UUID.randomUUID(), "mallory", List.of(ImageOutput.of("still", 32, null)));

        LaunchResult result = launcher.launch(itemFile(JobEventJson.write(foreign)).toString());

        assertThat(result.exitCode()).isEqualTo(OneShotRun.REFUSED);
        JobFailed failed = awaitEvent(foreign.jobId(), JobFailed.class);
        assertThat(failed.tenant()).isEqualTo("mallory");
        assertThat(events(foreign.jobId())).noneMatch(JobStarted.class::isInstance);
        assertThat(awaitDeadLetter(foreign.jobId()).headers().lastHeader(DeadLetters.REASON).value())
                .asString(StandardCharsets.UTF_8).isEqualTo("foreign_object");
    }

    @Test
    void refusesAnUnreadableItemThatNamesItsJobWithAJobFailed(QuarkusMainLauncher launcher) throws Exception {
        UUID jobId = UUID.randomUUID();
        String item = "{\"jobId\":\"" + jobId + "\",\"tenant\":\"default\",\"attempt\":\"first\",\"outputs\":7}";

        LaunchResult result = launcher.launch(itemFile(item.getBytes(StandardCharsets.UTF_8)).toString());

        assertThat(result.exitCode()).isEqualTo(OneShotRun.REFUSED);
        JobFailed failed = awaitEvent(jobId, JobFailed.class);
        assertThat(failed.message()).startsWith("The request was refused (invalid_request): workItem:");
        assertThat(awaitDeadLetter(jobId)).isNotNull();
    }

    @Test
    void exitsNoItemForAMissingFileAndRefusedForOneThatIsNotJson(QuarkusMainLauncher launcher) throws Exception {
        assertThat(launcher.launch(Path.of("/nonexistent/work-item.json").toString()).exitCode())
                .isEqualTo(OneShotRun.NO_ITEM);
        assertThat(launcher.launch(itemFile("not json".getBytes(StandardCharsets.UTF_8)).toString()).exitCode())
                .isEqualTo(OneShotRun.REFUSED);
    }

    private static JobRequested request(UUID jobId, String tenant, List<ImageOutput> outputs) throws Exception {
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

    private static Path itemFile(byte[] content) throws Exception {
        Path file = Files.createTempFile("work-item", ".json");
        Files.write(file, content);
        file.toFile().deleteOnExit();
        return file;
    }

    private static List<JobEvent> events(UUID jobId) {
        List<JobEvent> out = new ArrayList<>();
        for (ConsumerRecord<String, JobEvent> r : lifecycle) {
            if (r.value() != null && jobId.equals(r.value().jobId())) {
                out.add(r.value());
            }
        }
        return out;
    }

    private static <T extends JobEvent> T awaitEvent(UUID jobId, Class<T> type) throws InterruptedException {
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

    private static ConsumerRecord<String, JobEvent> awaitDeadLetter(UUID jobId) throws InterruptedException {
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
