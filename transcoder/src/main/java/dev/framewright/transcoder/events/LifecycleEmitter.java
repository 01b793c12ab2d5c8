package dev.framewright.transcoder.events;

import dev.framewright.events.JobEvent;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.RetriableException;
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

    /**
     * The broker or producer refused this event for good (too large, not serializable, not authorized): sending it
     * again cannot help, unlike a timeout or an unreachable broker, which are worth retrying.
     */
    public static final class Unpublishable extends RuntimeException {
        Unpublishable(JobEvent event, Throwable cause) {
            super("The broker refused " + event.type() + " of job " + event.jobId() + " for good: " + cause, cause);
        }

        /** Whether the event was refused for its size (RecordTooLargeException). */
        public boolean tooLarge() {
            return getCause() instanceof RecordTooLargeException;
        }
    }

    /**
     * Blocks until the broker has the event: terminal events must be durable before the request's offset moves on.
     *
     * @throws Unpublishable when the producer's error is not retriable; any other failure is transient
     */
    public void emitDurably(JobEvent event) {
        try {
            emitter.sendMessage(message(event)).await().atMost(ACK_TIMEOUT);
        } catch (RuntimeException e) {
            KafkaException permanent = permanentCause(e);
            if (permanent != null) {
                throw new Unpublishable(event, permanent);
            }
            throw e;
        }
    }

    /**
     * The Kafka error in {@code e}'s causes when it is the event's own fault, so that retrying cannot cure it: too
     * large, not serializable, refused as invalid (a non-retriable {@link ApiException}). Everything else stays
     * transient and keeps the retry-and-hold: timeouts and lost leaders ({@link RetriableException}), a closed
     * producer, the ack timeout here, and authorization errors, which are the operator's to fix, not the job's.
     */
    static KafkaException permanentCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof AuthorizationException
                    || t instanceof AuthenticationException) {
                return null;
            }
            if (t instanceof RecordTooLargeException || t instanceof SerializationException
                    || t instanceof ApiException) {
                return (KafkaException) t;
            }
        }
        return null;
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
