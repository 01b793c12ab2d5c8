package dev.framewright.api.testing;

import dev.framewright.events.Topics;
import dev.framewright.events.rules.JobLimits;
import dev.framewright.localstack.LocalStack;
import dev.framewright.localstack.StackConfig;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.flywaydb.core.Flyway;

/**
 * The real stack for {@code @QuarkusTest}s: Kafka, PostgreSQL and S3Proxy from local-stack on free ports, the
 * projector's read-model schema applied as the projector would, and job-api pointed at it through the same
 * environment variable names the services read in production.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    private static LocalStack stack;
    private Path dataDir;

    public static LocalStack stack() {
        return stack;
    }

    public static final long PART_BYTES = 5L * 1024 * 1024;
    public static final long MULTIPART_ABOVE_BYTES = 8L * 1024 * 1024;

    public static final String DEV_KEY = "fw_dev_local_development_key_0000000001";

    @Override
    public Map<String, String> start() {
        Fixtures.useDevKey();
        try {
            dataDir = Files.createTempDirectory("job-api-stack");
            stack = LocalStack.start(StackConfig.ephemeral(dataDir));
            String root = System.getProperty("framewright.root", "..");
            Flyway.configure()
                    .dataSource(stack.postgres().jdbcUrl(), stack.postgres().user(), stack.postgres().password())
                    .locations("filesystem:" + Paths.get(root, "status-projector/src/main/resources/db/migration"))
                    .load()
                    .migrate();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    stack.kafkaBootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(Topics.requests("express"), 1, (short) 1))).all().get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            Map<String, String> config = new HashMap<>(stack.serviceEnvironment());
            config.put("quarkus.http.test-port", "0");
            // The in-JVM broker logs through Quarkus' logging: keep its chatter out of the test output.
            for (String category : List.of("org.apache.kafka", "kafka", "state.change.logger", "org.flywaydb")) {
                config.put("quarkus.log.category.\"" + category + "\".level", "WARN");
            }
            // Tests run the sweeper themselves, when they have set up what it should find.
            config.put("framewright.retention.sweep-every", "off");
            // Operator maximums below their defaults (2h, 720h), so the tests show the settings are what is applied.
            config.put(JobLimits.MAX_JOB_DURATION, "1h");
            config.put("framewright.limits.max-retention", "240h");
            // Multipart from 8 MiB in 5 MiB parts (S3's smallest), so the tests move megabytes, not gigabytes.
            config.put("framewright.uploads.multipart-above-bytes", Long.toString(MULTIPART_ABOVE_BYTES));
            config.put("framewright.uploads.part-bytes", Long.toString(PART_BYTES));
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the local stack", e);
        }
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.close();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }
}
