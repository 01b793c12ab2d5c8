package dev.framewright.transcoder.oneshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.DeadLetterHeaders;
import dev.framewright.events.DescribeOutput;
import dev.framewright.events.FailureCode;
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

    @BeforeAll
    static void startStack() throws Exception {
        StackFixture.start();
    }

    @AfterAll
    static void stopStack() throws Exception {
        StackFixture.stop();
    }

    @Test
    void runsTheWorkItemToItsOutputsAndExitsZeroWithoutJoiningTheGroup(QuarkusMainLauncher launcher)
            throws Exception {
        JobRequested job = StackFixture.request(UUID.randomUUID(), "default", List.of(ImageOutput.of("still", 32, null)));

        LaunchResult result = launcher.launch(StackFixture.itemFile(JobEventJson.write(job)).toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput())
                .isEqualTo(OneShotRun.CONCLUDED);
        // The terminal event was durable before the exit: it is on the topic, not on its way.
        JobCompleted done = StackFixture.awaitEvent(job.jobId(), JobCompleted.class);
        assertThat(StackFixture.events(job.jobId()).get(0)).isInstanceOf(JobStarted.class)
                .extracting(e -> ((JobStarted) e).worker()).isEqualTo("oneshot-test");
        assertThat(done.attempt()).isEqualTo(1);
        OutputFile file = done.outputs().get(0).files().get(0);
        assertThat(file.key()).startsWith("jobs/" + job.jobId() + "/still/");
        BufferedImage still = ImageIO.read(new ByteArrayInputStream(StackFixture.s3.getObjectAsBytes(b -> b
                .bucket(StackFixture.stack.bucket()).key(file.key())).asByteArray()));
        assertThat(still.getWidth()).isEqualTo(32);
        assertThat(still.getHeight()).isEqualTo(24);
        // The attempt was counted and concluded where a consumer's would be.
        String attempts = StackFixture.s3.getObjectAsBytes(b -> b.bucket(StackFixture.stack.bucket())
                .key("jobs/" + job.jobId() + "/_control/attempts")).asUtf8String();
        assertThat(attempts).contains("\"concludedAttempt\":1");
        // The request channel never started: no member of the transcoder group came from this process.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                StackFixture.stack.kafkaBootstrapServers()))) {
            assertThat(admin.listConsumerGroups().all().get()).extracting(ConsumerGroupListing::groupId)
                    .doesNotContain("transcoder");
        }

        // The Job controller runs a pod again after an exit it did not see (the node died after the send): the same
        // item is recognised as answered, nothing runs twice.
        LaunchResult again = launcher.launch(StackFixture.itemFile(JobEventJson.write(job)).toString());
        assertThat(again.exitCode()).isEqualTo(OneShotRun.CONCLUDED);
        assertThat(StackFixture.events(job.jobId()).stream().filter(JobStarted.class::isInstance)).hasSize(1);
    }

    /** This worker has no classifier model configured: describe fails with model_unavailable, never a made-up label. */
    @Test
    void failsADescribeOutputWithModelUnavailableWhereNoModelIsConfigured(QuarkusMainLauncher launcher)
            throws Exception {
        JobRequested job = StackFixture.request(UUID.randomUUID(), "default",
                List.of(ImageOutput.of("still", 32, null), new DescribeOutput("what", null, null, null)));

        LaunchResult result = launcher.launch(StackFixture.itemFile(JobEventJson.write(job)).toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput())
                .isEqualTo(OneShotRun.CONCLUDED);
        JobFailed failed = StackFixture.awaitEvent(job.jobId(), JobFailed.class);
        assertThat(failed.code()).isEqualTo(FailureCode.MODEL_UNAVAILABLE.wireName());
        assertThat(failed.failedOutputs()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("what");
            assertThat(f.code()).isEqualTo(FailureCode.MODEL_UNAVAILABLE.wireName());
            assertThat(f.message()).contains("no classifier model configured");
        });
        // The other output still ran and is kept; nothing was retried (a missing model is not transient).
        assertThat(failed.outputs()).extracting(o -> o.name()).containsExactly("still");
        assertThat(failed.attempt()).isEqualTo(1);
    }

    @Test
    void refusesAnItemThatBreaksTheRulebookWithAJobFailedAndADeadLetter(QuarkusMainLauncher launcher)
            throws Exception {
        // Another tenant's upload: the rulebook refuses it before anything is read.
        JobRequested foreign = StackFixture.request(UUID.randomUUID(), "mallory", List.of(ImageOutput.of("still", 32, null)));

        LaunchResult result = launcher.launch(StackFixture.itemFile(JobEventJson.write(foreign)).toString());

        assertThat(result.exitCode()).isEqualTo(OneShotRun.REFUSED);
        JobFailed failed = StackFixture.awaitEvent(foreign.jobId(), JobFailed.class);
        assertThat(failed.tenant()).isEqualTo("mallory");
        assertThat(StackFixture.events(foreign.jobId())).noneMatch(JobStarted.class::isInstance);
        assertThat(StackFixture.awaitDeadLetter(foreign.jobId()).headers().lastHeader(DeadLetterHeaders.REASON).value())
                .asString(StandardCharsets.UTF_8).isEqualTo("foreign_object");
    }

    @Test
    void refusesAnUnreadableItemThatNamesItsJobWithAJobFailed(QuarkusMainLauncher launcher) throws Exception {
        UUID jobId = UUID.randomUUID();
        String item = "{\"jobId\":\"" + jobId + "\",\"tenant\":\"default\",\"attempt\":\"first\",\"outputs\":7}";

        LaunchResult result = launcher.launch(StackFixture.itemFile(item.getBytes(StandardCharsets.UTF_8)).toString());

        assertThat(result.exitCode()).isEqualTo(OneShotRun.REFUSED);
        JobFailed failed = StackFixture.awaitEvent(jobId, JobFailed.class);
        assertThat(failed.message()).startsWith("The request was refused (invalid_request): workItem:");
        assertThat(StackFixture.awaitDeadLetter(jobId)).isNotNull();
    }

    @Test
    void exitsNoItemForAMissingFileAndRefusedForOneThatIsNotJson(QuarkusMainLauncher launcher) throws Exception {
        assertThat(launcher.launch(Path.of("/nonexistent/work-item.json").toString()).exitCode())
                .isEqualTo(OneShotRun.NO_ITEM);
        assertThat(launcher.launch(StackFixture.itemFile("not json".getBytes(StandardCharsets.UTF_8)).toString()).exitCode())
                .isEqualTo(OneShotRun.REFUSED);
    }
}
