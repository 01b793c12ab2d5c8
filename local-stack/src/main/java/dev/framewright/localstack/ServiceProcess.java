package dev.framewright.localstack;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** One packaged Quarkus service ({@code quarkus-run.jar}) running as a child process. */
public final class ServiceProcess implements AutoCloseable {

    private static final int TAIL_LINES = 60;
    /** The environment variable that holds a service's JVM options. */
    public static final String JAVA_OPTS = "JAVA_OPTS";
    static final String DEFAULT_JAVA_OPTS = "-Xmx512m";

    private final String name;
    private final int port;
    private final Process process;
    private final Thread pump;
    private final Deque<String> tail = new ArrayDeque<>();
    /** Set before we stop the process ourselves, so the closed pipe that follows is not reported as lost output. */
    private volatile boolean stopping;

    private ServiceProcess(String name, int port, Process process, Path logFile, boolean echo) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.pump = new Thread(() -> pump(logFile, echo), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Output goes to {@code logFile}, or, when it is null, onto System.out with each line prefixed {@code [name] }. */
    public static ServiceProcess start(String name, Path quarkusRunJar, int httpPort, Map<String, String> env, Path logFile) {
        return start(name, quarkusRunJar, httpPort, env, logFile, logFile == null);
    }

    /** As above; {@code echo} additionally prefixes the output onto System.out when it also goes to a file. */
    public static ServiceProcess start(String name, Path quarkusRunJar, int httpPort, Map<String, String> env, Path logFile, boolean echo) {
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IllegalStateException(quarkusRunJar + " is missing: run ./mvnw -DskipTests package first");
        }
        Processes.requirePortFree(httpPort, name);
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        // JAVA_OPTS is the JVM's options, as in the services' container images (which run `java $JAVA_OPTS -jar`)
        command.addAll(Arrays.asList(env.getOrDefault(JAVA_OPTS, DEFAULT_JAVA_OPTS).trim().split("\\s+")));
        command.addAll(List.of("-jar", quarkusRunJar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        try {
            if (logFile != null) {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
            }
            return new ServiceProcess(name, httpPort, builder.start(), logFile, echo);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code /q/health/ready} answers 200; fails at once, with the last output lines, if the process exits. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Processes.httpStatus(baseUrl() + "/q/health/ready") != 200) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; last output:\n" + tail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s; last output:\n" + tail());
            }
            Processes.sleep(250);
        }
    }

    /** SIGKILL, for crash tests: no shutdown hooks, no offset commits. */
    public void kill() {
        stopping = true;
        process.destroyForcibly();
        Processes.awaitExit(process, Duration.ofSeconds(10));
    }

    /** SIGTERM (a graceful Quarkus shutdown), then SIGKILL after 30 s, as Kubernetes does with its default grace period. */
    @Override
    public void close() {
        stopping = true;
        process.destroy();
        Processes.awaitExit(process, Duration.ofSeconds(30));
        try {
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String tail() {
        if (!process.isAlive()) {
            // Let the pump drain what the exited process wrote last: that is usually the reason.
            try {
                pump.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    private void pump(Path logFile, boolean echo) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter log = logFile == null ? null : Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                if (log != null) {
                    log.write(line);
                    log.newLine();
                    log.flush();
                }
                if (echo) {
                    System.out.println("[" + name + "] " + line);
                }
            }
        } catch (IOException e) {
            // Stopping closes the pipe under us: that is the normal end, not lost output.
            if (!stopping) {
                System.err.println("[" + name + "] output lost: " + e);
            }
        }
    }
}
