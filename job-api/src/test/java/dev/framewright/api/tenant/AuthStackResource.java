package dev.framewright.api.tenant;

import dev.framewright.localstack.LocalStack;
import dev.framewright.localstack.StackConfig;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;

/**
 * Real Kafka, PostgreSQL and S3 for job-api's auth and limits tests, with the projector's read model schema
 * applied (job-api reads and counts its {@code jobs} rows) and test-sized limits.
 */
public class AuthStackResource implements QuarkusTestResourceLifecycleManager {

    static final String DEV_KEY = "fw_dev_local_development_key_0000000001";
    /** A tenant whose limits the tests override in the tenants table. */
    static final String BURST_KEY = "fw_burst_test_key_000000000000000001";
    static final String CAPPED_KEY = "fw_capped_test_key_00000000000000001";
    static final String REVOKED_KEY = "fw_revoked_test_key_0000000000000001";
    static final long MAX_BYTES = 1024 * 1024;
    static final long MAX_QUEUE_DEPTH = 20;

    private Path dir;
    private LocalStack stack;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("job-api-auth-stack");
            stack = LocalStack.start(StackConfig.ephemeral(dir));
            Flyway.configure()
                    .dataSource(stack.postgres().jdbcUrl(), stack.postgres().user(), stack.postgres().password())
                    .locations("filesystem:" + Path.of("..", "status-projector", "src", "main", "resources", "db",
                            "migration").toAbsolutePath().normalize())
                    .load().migrate();
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the local stack", e);
        }
        // The env names the services read are also the names application.properties expands.
        Map<String, String> config = new HashMap<>(stack.serviceEnvironment());
        config.put("quarkus.http.test-port", "0");
        config.put("framewright.auth.bootstrap-keys", String.join(",", "default:" + DEV_KEY, "burst:" + BURST_KEY,
                "capped:" + CAPPED_KEY, "revoked:sha256:" + ApiKeys.hash(REVOKED_KEY)));
        config.put("framewright.auth.cache-ttl", "2s");
        config.put("framewright.uploads.max-bytes", Long.toString(MAX_BYTES));
        config.put("framewright.limits.max-queue-depth", Long.toString(MAX_QUEUE_DEPTH));
        config.put("framewright.limits.queue-depth-refresh", "200ms");
        // Long enough that a test sees the reused count for sure; setTenantLimits waits it out.
        config.put("framewright.limits.active-jobs-refresh", "2s");
        return config;
    }

    @Override
    public void stop() {
        try {
            if (stack != null) {
                stack.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temp dir left behind is harmless
                }
            }
        }
    }
}
