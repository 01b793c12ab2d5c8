package dev.framewright.system;

import dev.framewright.localstack.Framewright;
import dev.framewright.localstack.StackConfig;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole system, started once per test JVM and shared by every test class: real Kafka, PostgreSQL and S3
 * from the local stack, and the three packaged services as separate processes, exactly as {@code ./framewright dev}
 * runs them. Stopped by a shutdown hook when the suite's JVM exits.
 */
final class RunningSystem {

    /** A second tenant, to prove that one tenant never sees another's jobs. */
    static final String OTHER_TENANT = "other";
    static final String OTHER_TENANT_KEY = "fw_test_other_tenant_key_000000000000000001";

    private static Framewright system;

    private RunningSystem() {
    }

    static synchronized Framewright get() {
        if (system == null) {
            Path root = Path.of(System.getProperty("framewright.root", "..")).toAbsolutePath().normalize();
            Path work = root.resolve("system-tests/target/system");
            try {
                deleteTree(work);
                Files.createDirectories(work);
                system = Framewright.start(root, StackConfig.ephemeral(work.resolve("data")), new Framewright.Options(
                        freePort(), freePort(), List.of(freePort()), work.resolve("logs"), false, Map.of(
                                "FRAMEWRIGHT_AUTH_BOOTSTRAP_KEYS",
                                "default:" + Framewright.DEV_API_KEY + "," + OTHER_TENANT + ":" + OTHER_TENANT_KEY,
                                // Webhook retries a test can wait for.
                                "FRAMEWRIGHT_WEBHOOKS_BACKOFF_BASE", "1s")));
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the system; see system-tests/target/system/logs", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(system::close, "framewright-system-stop"));
            RestAssured.baseURI = system.apiBaseUrl();
            // A test that sends another tenant's key replaces the default one instead of adding a second header.
            RestAssured.config = RestAssured.config().headerConfig(
                    io.restassured.config.HeaderConfig.headerConfig().overwriteHeadersWithName("Authorization", "Content-Type"));
            RestAssured.requestSpecification = new RequestSpecBuilder()
                    .addHeader("Authorization", "Bearer " + Framewright.DEV_API_KEY).build();
            RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        }
        return system;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
