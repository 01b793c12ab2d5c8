package dev.framewright.localstack;

import dev.framewright.events.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Kafka, PostgreSQL and S3 for local runs and integration tests: real servers, no Docker. */
public final class LocalStack implements Infrastructure {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    /** The queues of the local stack: each gets its request topic, and the services are told to use them. */
    public static final List<String> QUEUES = List.of(Topics.DEFAULT_QUEUE, "express");

    private final StackConfig config;
    /** Replaced by {@link #restartKafka}; null while stopped. */
    private volatile KafkaBroker kafka;
    private final Postgres postgres;
    private final S3Store s3;

    private LocalStack(StackConfig config, KafkaBroker kafka, Postgres postgres, S3Store s3) {
        this.config = config;
        this.kafka = kafka;
        this.postgres = postgres;
        this.s3 = s3;
    }

    /** Starts all three; PostgreSQL and S3Proxy come up in the background while Kafka starts in this thread. On failure, whatever started is stopped again. */
    public static LocalStack start(StackConfig config) throws Exception {
        Path data = config.dataDir().toAbsolutePath();
        Path logs = data.resolve("logs");
        ExecutorService background = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "local-stack-start");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Postgres> postgres = background.submit(() -> Postgres.start(data.resolve("postgres"), config.postgresPort(), logs.resolve("postgres.log")));
            Future<S3Store> s3 = background.submit(() -> S3Store.start(data.resolve("s3"), config.s3Port(), logs.resolve("s3proxy.log")));
            Started<KafkaBroker> kafka = attempt(() -> KafkaBroker.start(data.resolve("kafka"), config.kafkaPort(), config.kafkaControllerPort()));
            Started<Postgres> pg = attempt(postgres::get);
            Started<S3Store> store = attempt(s3::get);
            Exception failure = kafka.failure != null ? kafka.failure : pg.failure != null ? pg.failure : store.failure;
            if (failure != null) {
                closeAll(Arrays.asList(store.value, pg.value, kafka.value));
                throw failure;
            }
            return new LocalStack(config, kafka.value, pg.value, store.value);
        } finally {
            background.shutdown();
        }
    }

    public StackConfig config() {
        return config;
    }

    @Override
    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + config.kafkaPort();
    }

    /** Stops the broker, as an outage would; clients see it gone until {@link #startKafka()}. */
    public synchronized void stopKafka() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** Starts the broker again on the same ports and log, after {@link #stopKafka()}. */
    public synchronized void startKafka() throws Exception {
        if (kafka == null) {
            kafka = KafkaBroker.start(config.dataDir().toAbsolutePath().resolve("kafka"), config.kafkaPort(),
                    config.kafkaControllerPort());
        }
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public Postgres postgres() {
        return postgres;
    }

    public S3Store s3() {
        return s3;
    }

    public String bucket() {
        return s3.bucket();
    }

    @Override
    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    @Override
    public String dbUser() {
        return postgres.user();
    }

    @Override
    public String dbPassword() {
        return postgres.password();
    }

    @Override
    public Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("FRAMEWRIGHT_S3_ENDPOINT", s3.endpoint());
        env.put("FRAMEWRIGHT_S3_REGION", s3.region());
        env.put("FRAMEWRIGHT_S3_ACCESS_KEY", s3.accessKey());
        env.put("FRAMEWRIGHT_S3_SECRET_KEY", s3.secretKey());
        env.put("FRAMEWRIGHT_S3_BUCKET", s3.bucket());
        return env;
    }

    /** Stops S3, PostgreSQL, then Kafka; a failure is logged and the rest still stop. */
    @Override
    public void close() {
        closeAll(java.util.Arrays.asList(s3, postgres, kafka));
    }

    /** Closes each non-null resource in order, logging failures instead of throwing. */
    static void closeAll(List<? extends AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                LOG.error("Failed to stop {}", r.getClass().getSimpleName(), e);
            }
        }
    }

    private record Started<T>(T value, Exception failure) {
    }

    private static <T> Started<T> attempt(Callable<T> start) {
        try {
            return new Started<>(start.call(), null);
        } catch (ExecutionException e) {
            return new Started<>(null, e.getCause() instanceof Exception cause ? cause : e);
        } catch (Exception e) {
            return new Started<>(null, e);
        }
    }
}
