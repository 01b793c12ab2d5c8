package dev.framewright.transcoder.worker;

import dev.framewright.events.Topics;
import dev.framewright.localstack.LocalStack;
import dev.framewright.localstack.StackConfig;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Real Kafka (in this JVM) and S3Proxy on ephemeral ports for the worker's @QuarkusTest; short timeouts. */
public class WorkerStackResource implements QuarkusTestResourceLifecycleManager {

    static volatile LocalStack stack;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("worker-stack");
            stack = LocalStack.start(StackConfig.ephemeral(dir));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    stack.kafkaBootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(Topics.DEAD_LETTER, 1, (short) 1))).all().get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw e;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the local stack", e);
        }
        return Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", stack.kafkaBootstrapServers()),
                Map.entry("quarkus.s3.endpoint-override", stack.s3().endpoint()),
                Map.entry("framewright.storage.bucket", stack.bucket()),
                Map.entry("quarkus.http.test-port", "0"),
                Map.entry("framewright.transcoder.max-attempts", "2"),
                Map.entry("framewright.transcoder.retry-backoff", "200ms"),
                Map.entry("framewright.transcoder.retry-backoff-max", "500ms"),
                Map.entry("framewright.transcoder.stall-timeout", "2s"),
                Map.entry("framewright.transcoder.cancel-poll-interval", "500ms"),
                Map.entry("framewright.transcoder.progress-interval", "200ms"),
                Map.entry("framewright.transcoder.shutdown-grace", "2s"),
                Map.entry("framewright.transcoder.worker-id", "test-worker"));
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.close();
        }
        JobRunner.deleteRecursively(dir);
    }
}
