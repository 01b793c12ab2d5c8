package dev.framewright.projector.stack;

import dev.framewright.localstack.LocalStack;
import dev.framewright.localstack.StackConfig;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real Kafka and PostgreSQL of {@link LocalStack}, on ephemeral ports, for the projector under test. The
 * projector reads exactly the environment {@link LocalStack#serviceEnvironment()} gives a deployed service.
 */
public class ProjectorStackResource implements QuarkusTestResourceLifecycleManager {

    private Path dataDir;
    private LocalStack stack;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("projector-stack");
            stack = LocalStack.start(StackConfig.ephemeral(dataDir));
            return stack.serviceEnvironment();
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
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
