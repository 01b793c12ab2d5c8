package dev.framewright.api.testing;

import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventDeserializer;
import dev.framewright.events.JobEventJson;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Direct access to the stack, as the projector and the transcoder would see it. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Connection db() throws SQLException {
        var pg = LocalStackResource.stack().postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    public static void sql(String sql, Object... params) {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static String json(Object value) {
        try {
            return JobEventJson.mapper().writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every event on a topic matching the filter, read from the beginning until {@code wait} passed without one. */
    public static List<JobEvent> events(String topic, Predicate<JobEvent> filter, int expected, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.stack().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "job-api-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<JobEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, JobEvent> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new JobEventDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && found.size() < expected) {
                for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && filter.test(record.value())) {
                        found.add(record.value());
                    }
                }
            }
            // Anything beyond what was expected (a duplicate) shows up within this extra second.
            long extra = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (found.size() >= expected && System.nanoTime() < extra) {
                for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && filter.test(record.value())) {
                        found.add(record.value());
                    }
                }
            }
        }
        return found;
    }

    public static JobEvent event(String topic, UUID jobId, Class<? extends JobEvent> type) {
        List<JobEvent> events = events(topic, e -> e.jobId().equals(jobId) && type.isInstance(e), 1,
                Duration.ofSeconds(20));
        if (events.isEmpty()) {
            throw new AssertionError("No " + type.getSimpleName() + " of job " + jobId + " on " + topic);
        }
        return events.get(0);
    }

    /** Bytes job-api's sniffing takes for an MP4 (an ftyp box), made distinct by {@code salt}; job-api never decodes them. */
    public static byte[] mp4(String salt) {
        byte[] ftyp = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
        byte[] tail = salt.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(ftyp, ftyp.length + tail.length);
        System.arraycopy(tail, 0, all, ftyp.length, tail.length);
        return all;
    }

    /** The PNG signature and an IHDR chunk: what sniffing needs to call it a PNG. */
    public static byte[] png() {
        return new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                0, 0, 0, 16, 0, 0, 0, 16, 8, 6, 0, 0, 0, 0x1f, (byte) 0xf3, (byte) 0xff, 0x61};
    }

    /**
     * Every RestAssured request without an Authorization header is the development tenant's (the %test profile
     * registers its key). A filter, not a request specification: a specification built before Quarkus starts would
     * pin the port.
     */
    public static void useDevKey() {
        io.restassured.RestAssured.replaceFiltersWith((request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", "Bearer " + LocalStackResource.DEV_KEY);
            }
            return context.next(request, response);
        });
    }
}
