package dev.framewright.containers;

import dev.framewright.localstack.Infrastructure;
import dev.framewright.localstack.KafkaBroker;
import dev.framewright.localstack.Postgres;
import dev.framewright.localstack.S3Store;
import dev.framewright.localstack.StackConfig;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The same infrastructure as {@link dev.framewright.localstack.LocalStack}, from Docker images via Testcontainers:
 * Kafka (KRaft), PostgreSQL and MinIO, with the same topics, database, user, bucket and keys. Chosen by
 * {@code -Dframewright.infrastructure=containers} (the Maven profile {@code containers} sets it); needs a Docker engine.
 */
public final class ContainersStack implements Infrastructure {

    private static final Logger LOG = LoggerFactory.getLogger(ContainersStack.class);

    /** Pinned; each can be overridden, e.g. with a mirror's copy: {@code -Dframewright.containers.kafka-image=...}. */
    static final String KAFKA_IMAGE = image("kafka", "apache/kafka:4.2.1");
    static final String POSTGRES_IMAGE = image("postgres", "postgres:17.6");
    /** MinIO stopped publishing images after this release; override with a mirror's copy if it disappears. */
    static final String MINIO_IMAGE = image("minio", "minio/minio:RELEASE.2025-09-07T16-13-09Z");

    private final KafkaContainer kafka;
    private final PostgreSQLContainer postgres;
    private final MinIOContainer minio;

    private ContainersStack(KafkaContainer kafka, PostgreSQLContainer postgres, MinIOContainer minio) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.minio = minio;
    }

    /** Called reflectively by {@link Infrastructure#start}; {@code config} is unused (Docker maps the ports). */
    public static ContainersStack start(StackConfig config) throws Exception {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE)
                // As the embedded broker: one node, consumers join at once.
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE)
                .withDatabaseName(Postgres.DATABASE)
                .withUsername(Postgres.USER)
                .withPassword(Postgres.PASSWORD)
                // As the embedded one: no durability, a test database.
                .withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
        MinIOContainer minio = new MinIOContainer(MINIO_IMAGE)
                .withUserName(S3Store.ACCESS_KEY)
                .withPassword(S3Store.SECRET_KEY);
        ContainersStack stack = new ContainersStack(kafka, postgres, minio);
        try {
            Startables.deepStart(kafka, postgres, minio).join();
            KafkaBroker.createTopics(stack.kafkaBootstrapServers());
            stack.createBucket();
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
        LOG.info("Containers ready: Kafka {}, PostgreSQL {}, MinIO {}", stack.kafkaBootstrapServers(), stack.jdbcUrl(),
                minio.getS3URL());
        return stack;
    }

    private static String image(String name, String pinned) {
        return System.getProperty("framewright.containers." + name + "-image", pinned);
    }

    private void createBucket() {
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create(minio.getS3URL()))
                .region(Region.of(S3Store.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Store.ACCESS_KEY, S3Store.SECRET_KEY)))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            s3.createBucket(b -> b.bucket(S3Store.BUCKET));
        }
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    private String postgresAddress() {
        return postgres.getHost() + ":" + postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/" + Postgres.DATABASE;
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://" + postgresAddress();
    }

    @Override
    public String dbUser() {
        return postgres.getUsername();
    }

    @Override
    public String dbPassword() {
        return postgres.getPassword();
    }

    @Override
    public Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + postgresAddress());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", dbUser());
        env.put("QUARKUS_DATASOURCE_PASSWORD", dbPassword());
        env.put("FRAMEWRIGHT_S3_ENDPOINT", minio.getS3URL());
        env.put("FRAMEWRIGHT_S3_REGION", S3Store.REGION);
        env.put("FRAMEWRIGHT_S3_ACCESS_KEY", S3Store.ACCESS_KEY);
        env.put("FRAMEWRIGHT_S3_SECRET_KEY", S3Store.SECRET_KEY);
        env.put("FRAMEWRIGHT_S3_BUCKET", S3Store.BUCKET);
        return env;
    }

    /** Stops MinIO, PostgreSQL, then Kafka; a failure is logged and the rest still stop (Ryuk reaps what is left). */
    @Override
    public void close() {
        for (GenericContainer<?> c : List.of(minio, postgres, kafka)) {
            try {
                c.stop();
            } catch (RuntimeException e) {
                LOG.error("Failed to stop {}", c.getDockerImageName(), e);
            }
        }
    }
}
