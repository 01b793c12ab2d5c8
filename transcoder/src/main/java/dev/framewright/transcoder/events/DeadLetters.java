package dev.framewright.transcoder.events;

import static dev.framewright.events.DeadLetterHeaders.*;

import dev.framewright.events.JobEvent;
import dev.framewright.events.JobRequested;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes a request the transcoder gave up on to {@code Topics.DEAD_LETTER}: the original key, value and headers,
 * plus the contract's {@link dev.framewright.events.DeadLetterHeaders} saying why. {@code framewright redrive} reads them back.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String CHANNEL = "dead-letters";

    private final MutinyEmitter<JobEvent> emitter;

    public DeadLetters(@Channel(CHANNEL) MutinyEmitter<JobEvent> emitter) {
        this.emitter = emitter;
    }

    /**
     * @param original the incoming request's Kafka metadata (key, headers, topic); null when unknown
     */
    public void publish(JobRequested request, IncomingKafkaRecordMetadata<?, ?> original, String reason,
            String message, int attempts, String worker, String fallbackTopic) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null && original.getHeaders() != null) {
            for (Header h : original.getHeaders()) {
                // The connector writes the current trace's traceparent itself (the same trace, one span later).
                if (!h.key().startsWith("framewright_dlq_") && !h.key().equals("traceparent")
                        && !h.key().equals("tracestate")) {
                    headers.add(h.key(), h.value());
                }
            }
        }
        add(headers, REASON, reason);
        add(headers, MESSAGE, message == null ? "" : message);
        add(headers, ATTEMPTS, Integer.toString(attempts));
        add(headers, SOURCE_TOPIC, original != null && original.getTopic() != null ? original.getTopic()
                : fallbackTopic);
        add(headers, WORKER, worker);
        Object key = original != null && original.getKey() != null ? original.getKey() : request.jobId();
        Message<JobEvent> out = Message.<JobEvent>of(request).addMetadata(OutgoingKafkaRecordMetadata.builder()
                .withKey(key == null ? null : key.toString()).withHeaders(headers).build())
                .addMetadata(TracingMetadata.withCurrent(Context.current()));
        emitter.sendMessage(out).await().atMost(Duration.ofSeconds(30));
    }

    private static void add(RecordHeaders headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
