package dev.framewright.api.job;

import dev.framewright.api.problem.ApiException;
import dev.framewright.events.JobEvent;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes job events keyed by job id on the topic each one names (a queue's request topic, the lifecycle topic),
 * through one idempotent acks=all producer. Blocking: returns once the broker acknowledged, or fails within 4 s, so
 * that a submission answers 503 within the 5 s the API promises.
 */
@ApplicationScoped
public class EventPublisher {

    public static final String CHANNEL = "job-requests";
    static final Duration BROKER_TIMEOUT = Duration.ofSeconds(4);
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final MutinyEmitter<JobEvent> emitter;

    public EventPublisher(@Channel(CHANNEL) MutinyEmitter<JobEvent> emitter) {
        this.emitter = emitter;
    }

    /** @throws ApiException 503 {@code broker_unavailable} when the broker did not acknowledge in time */
    public void publish(String topic, JobEvent event) {
        try {
            send(topic, event).await().atMost(BROKER_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not publish %s of job %s to %s", event.getClass().getSimpleName(), event.jobId(), topic);
            throw new ApiException(503, "broker_unavailable", "Job queue unavailable",
                    "The job queue did not acknowledge in time; nothing was changed, retry later");
        }
    }

    public Uni<Void> send(String topic, JobEvent event) {
        // The caller's trace (the submission's span) goes into the record's traceparent header.
        return emitter.sendMessage(Message.<JobEvent>of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(event.jobId().toString()).build())
                .addMetadata(TracingMetadata.withCurrent(Context.current())));
    }
}
