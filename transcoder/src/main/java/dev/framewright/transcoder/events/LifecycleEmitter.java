package dev.framewright.transcoder.events;

import dev.framewright.events.JobEvent;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes lifecycle events keyed by job id, so one job's events keep their order. */
@ApplicationScoped
public class LifecycleEmitter {

    public static final String CHANNEL = "job-lifecycle";

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<JobEvent> emitter;

    public LifecycleEmitter(@Channel(CHANNEL) MutinyEmitter<JobEvent> emitter) {
        this.emitter = emitter;
    }

    /** Blocks until the broker has the event: terminal events must be durable before the request's offset moves on. */
    public void emitDurably(JobEvent event) {
        emitter.sendMessage(message(event)).await().atMost(ACK_TIMEOUT);
    }

    /**
     * Hands the event to the producer now, on the caller's thread, so it is ordered before anything this thread
     * emits later for the job; the future completes when the broker has it (acks=all) or fails after the ack timeout.
     */
    public CompletableFuture<Void> emitDurablyAsync(JobEvent event) {
        return emitter.sendMessage(message(event)).ifNoItem().after(ACK_TIMEOUT).fail().subscribeAsCompletionStage();
    }

    /** Progress is advisory: a lost one is superseded by the next. */
    public void emit(JobEvent event) {
        emitter.sendMessageAndForget(message(event));
    }

    private static Message<JobEvent> message(JobEvent event) {
        // The caller's trace (the job's span), whichever thread the connector sends the record on.
        return Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.jobId().toString()).build())
                .addMetadata(TracingMetadata.withCurrent(Context.current()));
    }
}
