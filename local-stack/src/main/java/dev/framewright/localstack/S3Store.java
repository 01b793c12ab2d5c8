package dev.framewright.localstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** An S3-compatible store: S3Proxy as a child process, keeping objects as plain files under {@code dir}. */
public final class S3Store implements AutoCloseable {

    public static final String BUCKET = "framewright-media";
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "framewright";
    public static final String SECRET_KEY = "framewright-secret";

    private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);

    private final int port;
    private final Process process;

    private S3Store(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** Starts S3Proxy on {@code 127.0.0.1:port}; objects live in {@code dir/data}, its output goes to {@code log}. */
    public static S3Store start(Path dir, int port, Path log) throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        // The filesystem backend treats a directory as a bucket; 0700 keeps it private (world-readable would mean public-read).
        Path bucket = data.resolve(BUCKET);
        if (!Files.isDirectory(bucket)) {
            Files.createDirectories(bucket, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path pidFile = dir.resolve("s3proxy.pid");
        Processes.stopLeftover(pidFile, "s3proxy");
        Processes.requirePortFree(port, "S3Proxy");

        Properties p = new Properties();
        p.put("s3proxy.endpoint", "http://127.0.0.1:" + port);
        p.put("s3proxy.authorization", "aws-v2-or-v4");
        p.put("s3proxy.identity", ACCESS_KEY);
        p.put("s3proxy.credential", SECRET_KEY);
        p.put("jclouds.provider", "filesystem");
        p.put("jclouds.filesystem.basedir", data.toAbsolutePath().toString());
        p.put("jclouds.identity", ACCESS_KEY);
        p.put("jclouds.credential", SECRET_KEY);
        Path properties = dir.resolve("s3proxy.properties");
        try (Writer w = Files.newBufferedWriter(properties)) {
            p.store(w, "Written by the Framewright local stack on every start");
        }

        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", locateJar().toString(), "--properties", properties.toString()));
        Process process = Processes.start(command, log);
        Files.writeString(pidFile, process.pid() + "\n");
        S3Store store = new S3Store(port, process);
        try {
            store.awaitAnswer(log);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("S3 ready on {} (bucket {})", store.endpoint(), BUCKET);
        return store;
    }

    public int port() {
        return port;
    }

    /** Path-style endpoint: {@code http://127.0.0.1:port/<bucket>/<key>}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String bucket() {
        return BUCKET;
    }

    public String region() {
        return REGION;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** Any HTTP answer (an anonymous GET gets 403) means S3Proxy is serving. */
    private void awaitAnswer(Path log) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Processes.httpStatus(endpoint() + "/") < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + "; " + log + ":\n" + Processes.tail(log, 30));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("S3Proxy did not answer on port " + port + "; " + log + ":\n" + Processes.tail(log, 30));
            }
            Processes.sleep(200);
        }
    }

    /**
     * System property {@code framewright.s3proxy.jar}; else {@code s3proxy/s3proxy.jar} beside this module's jar or classes
     * directory (both live in local-stack/target); else under the repository root named by {@code framewright.root}.
     */
    static Path locateJar() {
        List<Path> candidates = new ArrayList<>();
        String explicit = System.getProperty("framewright.s3proxy.jar");
        if (explicit != null) {
            candidates.add(Paths.get(explicit));
        }
        try {
            Path location = Paths.get(S3Store.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            candidates.add(location.resolveSibling("s3proxy").resolve("s3proxy.jar"));
        } catch (URISyntaxException | RuntimeException e) {
            LOG.debug("No code source location", e);
        }
        String root = System.getProperty("framewright.root");
        if (root != null) {
            candidates.add(Paths.get(root, "local-stack", "target", "s3proxy", "s3proxy.jar"));
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() -> new IllegalStateException(
                "s3proxy.jar not found (tried " + candidates + "); build it with: mvn -pl local-stack package"));
    }

    @Override
    public void close() {
        process.destroy();
        Processes.awaitExit(process, Duration.ofSeconds(20));
    }
}
