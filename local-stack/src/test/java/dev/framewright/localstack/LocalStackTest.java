package dev.framewright.localstack;

import dev.framewright.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Real round trips against the real servers, started once for the class. */
class LocalStackTest {

    @TempDir
    static Path dataDir;

    private static LocalStack stack;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        stack = LocalStack.start(StackConfig.ephemeral(dataDir));
        System.out.printf("LocalStack.start took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void environmentNamesTheRunningServers() {
        StackConfig c = stack.config();
        assertThat(stack.serviceEnvironment()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + c.kafkaPort(),
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + c.postgresPort() + "/framewright",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + c.postgresPort() + "/framewright",
                "QUARKUS_DATASOURCE_USERNAME", "framewright",
                "QUARKUS_DATASOURCE_PASSWORD", "framewright",
                "FRAMEWRIGHT_S3_ENDPOINT", "http://127.0.0.1:" + c.s3Port(),
                "FRAMEWRIGHT_S3_REGION", "us-east-1",
                "FRAMEWRIGHT_S3_ACCESS_KEY", "framewright",
                "FRAMEWRIGHT_S3_SECRET_KEY", "framewright-secret",
                "FRAMEWRIGHT_S3_BUCKET", "framewright-media"));
        // The generic accessors the system tests use name the same servers.
        assertThat(stack.jdbcUrl()).isEqualTo(stack.serviceEnvironment().get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertThat(stack.dbUser()).isEqualTo(stack.serviceEnvironment().get("QUARKUS_DATASOURCE_USERNAME"));
        assertThat(stack.dbPassword()).isEqualTo(stack.serviceEnvironment().get("QUARKUS_DATASOURCE_PASSWORD"));
    }

    @Test
    void kafkaHasTheTopicsAndRoundTripsARecord() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(Topics.JOB_REQUESTS, Topics.JOB_LIFECYCLE)).allTopicNames().get();
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(Topics.DEFAULT_PARTITIONS));
        }

        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.JOB_REQUESTS, "job-1", "hello")).get();
        }

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "local-stack-test");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.JOB_REQUESTS));
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    received.add(r.key() + "=" + r.value());
                }
            }
        }
        assertThat(received).containsExactly("job-1=hello");
    }

    @Test
    void postgresAcceptsTheServiceUser() throws Exception {
        Postgres pg = stack.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()); Statement s = c.createStatement()) {
            ResultSet one = s.executeQuery("select 1, current_user");
            assertThat(one.next()).isTrue();
            assertThat(one.getString(2)).isEqualTo("framewright");
            s.execute("create table probe (id int primary key, name text)");
            s.execute("insert into probe values (1, 'één')");
            ResultSet row = s.executeQuery("select name from probe where id = 1");
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("één");
        }
    }

    @Test
    void s3RefusesAnonymousAndRoundTripsAnObject() throws Exception {
        S3Store s3 = stack.s3();
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/" + s3.bucket())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(anonymous.body()).contains("<Error>").contains("AccessDenied");

        String key = "/" + s3.bucket() + "/probe/hello.txt";
        HttpResponse<String> put = http.send(signed("PUT", key, "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("hello s3")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        HttpResponse<String> get = http.send(signed("GET", key, "").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("hello s3");

        HttpResponse<String> list = http.send(signed("GET", "/" + s3.bucket(), "").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.body()).contains("<Key>probe/hello.txt</Key>");
    }

    /** AWS signature version 2, which S3Proxy accepts beside v4 and which fits in a few lines without an SDK. */
    private static HttpRequest.Builder signed(String method, String path, String contentType) throws Exception {
        S3Store s3 = stack.s3();
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String stringToSign = method + "\n\n" + contentType + "\n\nx-amz-date:" + date + "\n" + path;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(s3.secretKey().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(s3.endpoint() + path))
                .header("x-amz-date", date)
                .header("Authorization", "AWS " + s3.accessKey() + ":" + signature);
        return contentType.isEmpty() ? builder : builder.header("Content-Type", contentType);
    }
}
