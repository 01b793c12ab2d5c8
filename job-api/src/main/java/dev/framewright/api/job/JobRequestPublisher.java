package dev.framewright.api.job;

import dev.framewright.events.JobEvent;
import dev.framewright.events.JobRequested;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes {@link JobRequested} keyed by job id; the returned Uni completes once the broker acknowledged it (acks=all). */
@ApplicationScoped
public class JobRequestPublisher {

    public static final String CHANNEL = "job-requests";

    private final MutinyEmitter<JobEvent> emitter;

    public JobRequestPublisher(@Channel(CHANNEL) MutinyEmitter<JobEvent> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(JobRequested requested) {
        return emitter.sendMessage(Message.<JobEvent>of(requested)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(requested.jobId().toString()).build()));
    }
}
