package dev.framewright.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The whole system on one machine: the local stack plus the three packaged services. */
public final class Framewright implements AutoCloseable {

    public static final String JOB_API = "job-api";
    public static final String TRANSCODER = "transcoder";
    public static final String STATUS_PROJECTOR = "status-projector";

    /** Quarkus JVM start on a 2-core machine, with Kafka consumers joining, takes tens of seconds. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final LocalStack stack;
    private final ServiceProcess projector;
    private final ServiceProcess transcoder;
    private final ServiceProcess api;

    private Framewright(LocalStack stack, ServiceProcess projector, ServiceProcess transcoder, ServiceProcess api) {
        this.stack = stack;
        this.projector = projector;
        this.transcoder = transcoder;
        this.api = api;
    }

    /** Service output goes to {@code logDir/<name>.log}, or prefixed onto System.out when {@code logDir} is null. */
    public static Framewright start(Path repoRoot, StackConfig config, int apiPort, int transcoderPort, int projectorPort, Path logDir)
            throws Exception {
        return start(repoRoot, config, apiPort, transcoderPort, projectorPort, logDir, logDir == null);
    }

    /** As above; {@code echo} also prefixes service output onto System.out when it goes to files. */
    public static Framewright start(Path repoRoot, StackConfig config, int apiPort, int transcoderPort, int projectorPort, Path logDir,
                                    boolean echo) throws Exception {
        // Check the jars before spending seconds on infrastructure.
        List<String> missing = new ArrayList<>();
        for (String service : List.of(STATUS_PROJECTOR, TRANSCODER, JOB_API)) {
            if (!Files.isRegularFile(jar(repoRoot, service))) {
                missing.add(jar(repoRoot, service).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Missing " + String.join(", ", missing) + ": run ./mvnw -DskipTests package first");
        }
        LocalStack stack = LocalStack.start(config);
        List<ServiceProcess> started = new ArrayList<>();
        try {
            Map<String, String> env = stack.serviceEnvironment();
            // The projector owns the database schema, so it goes first.
            started.add(startReady(repoRoot, STATUS_PROJECTOR, projectorPort, env, logDir, echo));
            started.add(startReady(repoRoot, TRANSCODER, transcoderPort, env, logDir, echo));
            started.add(startReady(repoRoot, JOB_API, apiPort, env, logDir, echo));
            return new Framewright(stack, started.get(0), started.get(1), started.get(2));
        } catch (Exception | Error e) {
            List<AutoCloseable> toClose = new ArrayList<>(started);
            Collections.reverse(toClose);
            toClose.add(stack);
            LocalStack.closeAll(toClose);
            throw e;
        }
    }

    private static ServiceProcess startReady(Path repoRoot, String name, int port, Map<String, String> env, Path logDir, boolean echo) {
        ServiceProcess service = ServiceProcess.start(name, jar(repoRoot, name), port, env, logDir == null ? null : logDir.resolve(name + ".log"), echo);
        try {
            service.awaitReady(READY_TIMEOUT);
            return service;
        } catch (RuntimeException e) {
            LocalStack.closeAll(List.of(service));
            throw e;
        }
    }

    private static Path jar(Path repoRoot, String module) {
        return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public String apiBaseUrl() {
        return api.baseUrl();
    }

    public LocalStack stack() {
        return stack;
    }

    public ServiceProcess api() {
        return api;
    }

    public ServiceProcess transcoder() {
        return transcoder;
    }

    public ServiceProcess projector() {
        return projector;
    }

    /** Stops job-api, transcoder, projector, then the infrastructure; failures are logged and the rest still stop. */
    @Override
    public void close() {
        LocalStack.closeAll(Arrays.asList(api, transcoder, projector, stack));
    }
}
