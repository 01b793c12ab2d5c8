package dev.framewright.api.telemetry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventDeserializer;
import dev.framewright.events.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With tracing on: a submission continues the caller's trace, and JobRequested carries it to the transcoder. */
@QuarkusTest
@TestProfile(SubmissionTracingTest.Tracing.class)
@QuarkusTestResource(LocalStackResource.class)
class SubmissionTracingTest {

    public static class Tracing implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(InMemoryTelemetry.class);
        }
    }

    private static final String TRACE_ID = "6cf92f3577b34da6a3ce929d0e0e4738";

    @BeforeEach
    void authenticate() {
        Fixtures.useDevKey();
    }

    @Test
    void theSubmissionsSpanNamesTheJobAndItsContextGoesIntoTheRequestRecord() throws Exception {
        String id = given().header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b9-01")
                .multiPart("file", "clip.mp4", Fixtures.mp4("traced " + UUID.randomUUID()), "video/mp4")
                .multiPart("spec", "{\"outputs\":[{\"name\":\"small\",\"type\":\"video\",\"width\":320}]}",
                        "application/json")
                .post("/v1/jobs").then().statusCode(202).extract().jsonPath().getString("id");

        SpanData server = InMemoryTelemetry.SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(TRACE_ID) && s.getName().equals("POST /v1/jobs"))
                .findFirst().orElseThrow();
        assertThat(server.getParentSpanId()).isEqualTo("00f067aa0ba902b9");
        assertThat(server.getAttributes().get(AttributeKey.stringKey(Telemetry.JOB_ID))).isEqualTo(id);

        ConsumerRecord<String, JobEvent> record = request(id);
        assertThat(record.headers().headers("traceparent")).hasSize(1);
        Header traceparent = record.headers().lastHeader("traceparent");
        assertThat(new String(traceparent.value(), StandardCharsets.UTF_8)).startsWith("00-" + TRACE_ID + "-");
    }

    private static ConsumerRecord<String, JobEvent> request(String jobId) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.stack().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "tracing-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, JobEvent> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new JobEventDeserializer())) {
            consumer.subscribe(List.of(Topics.requests(Topics.DEFAULT_QUEUE)));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, JobEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(r.key())) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no JobRequested for job " + jobId);
    }
}
