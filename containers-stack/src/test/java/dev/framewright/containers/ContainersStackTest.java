package dev.framewright.containers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.Topics;
import dev.framewright.localstack.Infrastructure;
import dev.framewright.localstack.KafkaBroker;
import dev.framewright.localstack.S3Store;
import dev.framewright.localstack.StackConfig;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The containers reached through what the services are given: skipped where there is no Docker engine. */
@EnabledIf(value = "dockerAvailable", disabledReason = "needs a Docker engine")
class ContainersStackTest {

    private static Infrastructure stack;

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @BeforeAll
    static void start() throws Exception {
        // Through the same reflective path Framewright uses.
        System.setProperty(Infrastructure.PROPERTY, Infrastructure.CONTAINERS);
        stack = Infrastructure.start(StackConfig.ephemeral(Path.of("target/unused")));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldBeTheContainersProvider() {
        assertThat(stack).isInstanceOf(ContainersStack.class);
        assertThat(stack.serviceEnvironment()).containsKeys("KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_DATASOURCE_REACTIVE_URL",
                "QUARKUS_DATASOURCE_JDBC_URL", "FRAMEWRIGHT_S3_ENDPOINT", "FRAMEWRIGHT_S3_BUCKET");
    }

    @Test
    void shouldHaveEveryTopicWithItsPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(KafkaBroker.TOPICS).allTopicNames().get();
            assertThat(topics).containsOnlyKeys(KafkaBroker.TOPICS);
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(Topics.DEFAULT_PARTITIONS));
        }
    }

    @Test
    void shouldLetTheServiceUserCreateTables() throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword())) {
            c.createStatement().execute("CREATE TABLE probe (id int)");
            try (ResultSet rs = c.createStatement().executeQuery("SELECT current_database(), current_user")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("framewright");
                assertThat(rs.getString(2)).isEqualTo("framewright");
            }
        }
    }

    @Test
    void shouldStoreObjectsInTheBucketPathStyle() {
        Map<String, String> env = stack.serviceEnvironment();
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create(env.get("FRAMEWRIGHT_S3_ENDPOINT")))
                .region(Region.of(env.get("FRAMEWRIGHT_S3_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.get("FRAMEWRIGHT_S3_ACCESS_KEY"), env.get("FRAMEWRIGHT_S3_SECRET_KEY"))))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            s3.putObject(b -> b.bucket(S3Store.BUCKET).key("probe.txt"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("hello"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(S3Store.BUCKET).key("probe.txt")).asUtf8String())
                    .isEqualTo("hello");
        }
    }
}
