package dev.framewright.projector.store;

import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventJson;
import java.nio.charset.StandardCharsets;

/**
 * An event with its JSON as the contract wrote it (the Kafka record's body), stored as the history's payload as is:
 * writing the decoded event back to JSON would cost the fold about as much again as reading it.
 *
 * @param json the event as the job-events contract writes it; null: written from {@code event} when stored
 */
public record ReceivedEvent(JobEvent event, String json) {

    public static ReceivedEvent of(JobEvent event) {
        return new ReceivedEvent(event, null);
    }

    String payload() {
        return json != null ? json : new String(JobEventJson.write(event), StandardCharsets.UTF_8);
    }
}
