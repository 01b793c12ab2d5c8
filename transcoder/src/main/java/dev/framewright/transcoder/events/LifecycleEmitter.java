package dev.framewright.transcoder.events;

import dev.framewright.events.JobEvent;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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
