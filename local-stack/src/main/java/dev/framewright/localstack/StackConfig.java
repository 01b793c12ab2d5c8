package dev.framewright.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/** Where the local infrastructure keeps its data and which ports it listens on (all on 127.0.0.1). */
public record StackConfig(Path dataDir, int kafkaPort, int kafkaControllerPort, int postgresPort, int s3Port) {

    /** Fixed ports for {@code ./framewright dev}: off the defaults (9092, 5432, 9000) so a locally installed Kafka, PostgreSQL or MinIO can keep running. */
    public static StackConfig dev(Path dataDir) {
        return new StackConfig(dataDir, 19092, 19093, 15432, 19000);
    }

    /** Free ports picked by the OS, for tests that may run beside a dev stack. */
    public static StackConfig ephemeral(Path dataDir) {
        // Hold all four sockets open together so the OS hands out four distinct ports.
        try (ServerSocket a = bindAny(); ServerSocket b = bindAny(); ServerSocket c = bindAny(); ServerSocket d = bindAny()) {
            return new StackConfig(dataDir, a.getLocalPort(), b.getLocalPort(), c.getLocalPort(), d.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerSocket bindAny() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }
}
