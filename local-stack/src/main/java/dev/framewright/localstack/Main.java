package dev.framewright.localstack;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar local-stack.jar dev|infra [--root DIR] [--data DIR]}: the one-command local run. */
public final class Main {

    private static final int API_PORT = 8080;
    private static final int TRANSCODER_PORT = 8081;
    private static final int PROJECTOR_PORT = 8082;

    private static final String USAGE = """
            Usage: java -jar local-stack/target/local-stack.jar <command> [--root DIR] [--data DIR] [--transcoders N]
              dev    infrastructure + job-api (:8080), transcoder (:8081, more on :8083...), status-projector (:8082)
              infra  infrastructure only; prints the environment variables to export
              --root        repository root (default: system property framewright.root, else the current directory)
              --data        data directory (default: <root>/.framewright); data survives restarts
              --transcoders transcoder instances in the consumer group (default 1)""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("dev") || args[0].equals("infra"))) {
            exitWithUsage();
        }
        Path root = Paths.get(System.getProperty("framewright.root", ".")).toAbsolutePath().normalize();
        Path data = null;
        int transcoders = 1;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                exitWithUsage();
            }
            switch (args[i]) {
                case "--root" -> root = Paths.get(args[i + 1]).toAbsolutePath().normalize();
                case "--data" -> data = Paths.get(args[i + 1]).toAbsolutePath().normalize();
                case "--transcoders" -> transcoders = parseCount(args[i + 1]);
                default -> exitWithUsage();
            }
        }
        data = data != null ? data : root.resolve(".framewright");
        StackConfig config = StackConfig.dev(data);

        AutoCloseable running;
        try {
            if (args[0].equals("dev")) {
                List<Integer> transcoderPorts = new java.util.ArrayList<>(List.of(TRANSCODER_PORT));
                for (int i = 1; i < transcoders; i++) {
                    transcoderPorts.add(PROJECTOR_PORT + i);
                }
                Framewright system = Framewright.start(root, config,
                        new Framewright.Options(API_PORT, PROJECTOR_PORT, transcoderPorts, data.resolve("logs"), true));
                running = system;
                printDevBanner(system.stack(), data);
            } else {
                LocalStack stack = LocalStack.start(config);
                running = stack;
                printInfraBanner(stack, data);
            }
        } catch (Exception e) {
            System.err.println("Start failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        awaitShutdown(running);
    }

    private static int parseCount(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 6) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the usage
        }
        System.err.println("--transcoders takes 1 to 6 (the partitions of a queue's topic)");
        System.exit(2);
        return 0;
    }

    /** Blocks until Ctrl-C / SIGTERM; the hook stops everything before the JVM exits. */
    private static void awaitShutdown(AutoCloseable running) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Framewright...");
            LocalStack.closeAll(List.of(running));
            System.out.println("Stopped.");
            stopped.countDown();
        }, "framewright-shutdown"));
        stopped.await();
    }

    private static void printDevBanner(LocalStack stack, Path data) {
        String api = "http://localhost:" + API_PORT;
        System.out.println("""

                ================================================================
                 Framewright is running. Ctrl-C stops everything.

                 job-api     %s
                 health      %s/q/health
                 OpenAPI     %s/q/openapi
                 API key     %s  (tenant default; send as Authorization: Bearer)

                %s
                 data dir    %s (logs in %s)

                 Try it:
                   curl -H 'Authorization: Bearer %s' -F file=@clip.mp4 \\
                     -F 'spec={"outputs":[{"name":"small","type":"video","height":360},{"name":"thumb","type":"image","width":100,"height":100}]};type=application/json' \\
                     %s/v1/jobs
                ================================================================
                """.formatted(api, api, api, Framewright.DEV_API_KEY, infrastructure(stack), data, data.resolve("logs"),
                Framewright.DEV_API_KEY, api));
    }

    private static void printInfraBanner(LocalStack stack, Path data) {
        StringBuilder exports = new StringBuilder();
        for (Map.Entry<String, String> e : stack.serviceEnvironment().entrySet()) {
            exports.append("export ").append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        System.out.println("""

                ================================================================
                 Framewright infrastructure is running. Ctrl-C stops it.

                %s
                 data dir    %s

                 For services started by hand, export:
                %s================================================================
                """.formatted(infrastructure(stack), data, exports));
    }

    private static String infrastructure(LocalStack stack) {
        Postgres pg = stack.postgres();
        S3Store s3 = stack.s3();
        // Not a text block: its indentation stripping would eat the leading column.
        return String.format(" Kafka       %s%n PostgreSQL  %s  user %s / password %s%n S3          %s  bucket %s  access key %s / secret %s  (path-style, region %s)",
                stack.kafkaBootstrapServers(), pg.jdbcUrl(), pg.user(), pg.password(),
                s3.endpoint(), s3.bucket(), s3.accessKey(), s3.secretKey(), s3.region());
    }

    private static void exitWithUsage() {
        System.err.println(USAGE);
        System.exit(2);
    }
}
