package dev.framewright.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The whole system on one machine: the local stack plus the packaged services, one or more transcoders among them. */
public final class Framewright implements AutoCloseable {

    public static final String JOB_API = "job-api";
    public static final String TRANSCODER = "transcoder";
    public static final String STATUS_PROJECTOR = "status-projector";

    /** The development API key of tenant {@code default}, documented in README; never valid outside the local stack. */
    public static final String DEV_API_KEY = "fw_dev_local_development_key_0000000001";

    /** The fallback webhook signing secret of the local stack, for tenants that have not created their own. */
    public static final String DEV_WEBHOOK_SECRET = "whsec_dev";

    /** Quarkus JVM start on a 2-core machine, with Kafka consumers joining, takes tens of seconds. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /**
     * The transcoder's pictures live in native memory, and its heap holds about 20 MB of live objects: a small young
     * generation keeps the pages the JVM touches few (peak RSS of a 1080p to 720p job: 393-411 MB, against 484-523 MB with
     * the other services' {@code -Xmx512m} and G1; see BENCHMARKS.md). The old generation stays large enough for the
     * biggest still a job may write.
     */
    static final String TRANSCODER_JAVA_OPTS = "-Xmx384m -Xmn16m -XX:+UseSerialGC";

    /**
     * Where the services listen and where their output goes.
     *
     * @param transcoderPorts one transcoder instance per port, all in the one consumer group
     * @param logDir          service output goes to {@code logDir/<name>.log}; null: prefixed onto System.out
     * @param echo            also prefix service output onto System.out when it goes to files
     * @param environment     set for every service on top of the defaults (e.g. more API keys for tests)
     */
    public record Options(int apiPort, int projectorPort, List<Integer> transcoderPorts, Path logDir, boolean echo,
            Map<String, String> environment) {

        public Options(int apiPort, int projectorPort, List<Integer> transcoderPorts, Path logDir, boolean echo) {
            this(apiPort, projectorPort, transcoderPorts, logDir, echo, Map.of());
        }

        public Options {
            environment = Map.copyOf(environment);
            transcoderPorts = List.copyOf(transcoderPorts);
            if (transcoderPorts.isEmpty()) {
                throw new IllegalArgumentException("At least one transcoder");
            }
        }
    }

    private final Path repoRoot;
    private final Options options;
    private final Infrastructure infrastructure;
    private final Map<String, String> environment;
    private ServiceProcess projector;
    private final List<ServiceProcess> transcoders;
    private ServiceProcess api;

    private Framewright(Path repoRoot, Options options, Infrastructure infrastructure, Map<String, String> environment) {
        this.repoRoot = repoRoot;
        this.options = options;
        this.infrastructure = infrastructure;
        this.environment = environment;
        this.transcoders = new ArrayList<>(Collections.nCopies(options.transcoderPorts().size(), null));
    }

    /** One transcoder; service output to {@code logDir/<name>.log}, or prefixed onto System.out when it is null. */
    public static Framewright start(Path repoRoot, StackConfig config, int apiPort, int transcoderPort, int projectorPort,
            Path logDir) throws Exception {
        return start(repoRoot, config, new Options(apiPort, projectorPort, List.of(transcoderPort), logDir, logDir == null));
    }

    /** On the infrastructure that {@link Infrastructure#start} picks (system property {@value Infrastructure#PROPERTY}). */
    public static Framewright start(Path repoRoot, StackConfig config, Options options) throws Exception {
        requireJars(repoRoot);
        return start(repoRoot, Infrastructure.start(config), options);
    }

    /** On infrastructure already started; it is closed with the system, or at once if the services fail to start. */
    public static Framewright start(Path repoRoot, Infrastructure infrastructure, Options options) throws Exception {
        try {
            requireJars(repoRoot);
        } catch (RuntimeException e) {
            infrastructure.close();
            throw e;
        }
        Map<String, String> environment = servicesEnvironment(infrastructure);
        environment.putAll(options.environment());
        Framewright system = new Framewright(repoRoot, options, infrastructure, environment);
        try {
            // The projector owns the read model's schema, so it goes first.
            system.startProjector();
            for (int i = 0; i < options.transcoderPorts().size(); i++) {
                system.startTranscoder(i);
            }
            system.api = system.startReady(JOB_API, options.apiPort(), system.environment);
            return system;
        } catch (Exception | Error e) {
            system.close();
            throw e;
        }
    }

    /** Checked before spending seconds on infrastructure. */
    private static void requireJars(Path repoRoot) {
        List<String> missing = new ArrayList<>();
        for (String service : List.of(STATUS_PROJECTOR, TRANSCODER, JOB_API)) {
            if (!Files.isRegularFile(jar(repoRoot, service))) {
                missing.add(jar(repoRoot, service).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Missing " + String.join(", ", missing) + ": run ./mvnw -DskipTests package first");
        }
    }

    /** What every service reads: the infrastructure, plus the local stack's queues, development key and secrets. */
    static Map<String, String> servicesEnvironment(Infrastructure infrastructure) {
        Map<String, String> env = new LinkedHashMap<>(infrastructure.serviceEnvironment());
        String queues = String.join(",", LocalStack.QUEUES);
        env.put("FRAMEWRIGHT_QUEUES", queues);
        env.put("FRAMEWRIGHT_TRANSCODER_QUEUES", queues);
        env.put("FRAMEWRIGHT_AUTH_BOOTSTRAP_KEYS", "default:" + DEV_API_KEY);
        // The local stack's one user is its operator too: the development key may use /v1/admin.
        env.put("FRAMEWRIGHT_AUTH_BOOTSTRAP_ADMIN_KEYS", "default:" + DEV_API_KEY);
        // Signs for tenants without a secret of their own; with the published development key (the default), which
        // the services accept only with this flag.
        env.put("FRAMEWRIGHT_WEBHOOK_SECRET", DEV_WEBHOOK_SECRET);
        env.put("FRAMEWRIGHT_WEBHOOKS_ALLOW_DEV_SECRETS", "true");
        // Webhook receivers on this machine are the point of a development stack; production refuses them.
        env.put("FRAMEWRIGHT_WEBHOOKS_ALLOW_PRIVATE_NETWORKS", "true");
        // One developer (or one test suite) on a laptop: room to poll and to burst, unlike a shared deployment.
        env.put("FRAMEWRIGHT_LIMITS_REQUESTS_PER_SECOND", "500");
        env.put("FRAMEWRIGHT_LIMITS_BURST", "1000");
        return env;
    }

    /** Starts (or starts again, after a kill) the projector and waits until it is ready. */
    public synchronized ServiceProcess startProjector() {
        requireStopped(projector);
        projector = startReady(STATUS_PROJECTOR, options.projectorPort(), environment);
        return projector;
    }

    /** Starts (or starts again, after a kill) transcoder {@code i}, with a stable group instance id, and waits until it is ready. */
    public synchronized ServiceProcess startTranscoder(int i) {
        requireStopped(transcoders.get(i));
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("FRAMEWRIGHT_TRANSCODER_INSTANCE_ID", TRANSCODER + "-" + i);
        env.putIfAbsent(ServiceProcess.JAVA_OPTS, TRANSCODER_JAVA_OPTS);
        String name = transcoders.size() == 1 ? TRANSCODER : TRANSCODER + "-" + i;
        ServiceProcess started = startReady(name, options.transcoderPorts().get(i), env);
        transcoders.set(i, started);
        return started;
    }

    /**
     * Starts one more instance of a service that this system does not manage (the caller closes it): e.g. a second
     * projector that replays every topic into another database.
     *
     * @param overrides environment variables on top of the services' environment
     */
    public ServiceProcess startExtra(String name, String module, int port, Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putAll(overrides);
        Path logDir = options.logDir();
        ServiceProcess service = ServiceProcess.start(name, jar(repoRoot, module), port, env,
                logDir == null ? null : logDir.resolve(name + ".log"), options.echo());
        try {
            service.awaitReady(READY_TIMEOUT);
            return service;
        } catch (RuntimeException e) {
            LocalStack.closeAll(List.of(service));
            throw e;
        }
    }

    private static void requireStopped(ServiceProcess process) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(process.name() + " is still running");
        }
    }

    private ServiceProcess startReady(String name, int port, Map<String, String> env) {
        String module = name.startsWith(TRANSCODER) ? TRANSCODER : name;
        Path logDir = options.logDir();
        ServiceProcess service = ServiceProcess.start(name, jar(repoRoot, module), port, env,
                logDir == null ? null : logDir.resolve(name + ".log"), options.echo());
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

    /** Kafka, PostgreSQL and S3 under the services, whichever provider runs them. */
    public Infrastructure infrastructure() {
        return infrastructure;
    }

    /** The embedded stack, for what only it can do (stop the broker, create databases); fails on any other provider. */
    public LocalStack stack() {
        if (infrastructure instanceof LocalStack stack) {
            return stack;
        }
        throw new IllegalStateException("Embedded-only: the infrastructure is " + infrastructure.getClass().getSimpleName()
                + " (" + Infrastructure.PROPERTY + "=" + Infrastructure.configured() + ")");
    }

    /** The environment the services were started with. */
    public Map<String, String> environment() {
        return Collections.unmodifiableMap(environment);
    }

    public ServiceProcess api() {
        return api;
    }

    /** The first transcoder. */
    public ServiceProcess transcoder() {
        return transcoders.get(0);
    }

    public synchronized List<ServiceProcess> transcoders() {
        return List.copyOf(transcoders);
    }

    public ServiceProcess projector() {
        return projector;
    }

    /** Stops job-api, the transcoders, the projector, then the infrastructure; failures are logged and the rest still stop. */
    @Override
    public synchronized void close() {
        List<AutoCloseable> all = new ArrayList<>();
        all.add(api);
        all.addAll(transcoders);
        all.add(projector);
        all.add(infrastructure);
        LocalStack.closeAll(all);
    }
}
