package dev.framewright.projector.kafka;

import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventDeserializer;
import dev.framewright.projector.store.ReceivedEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The contract's CloudEvents deserializer, keeping the record's JSON body for the history so the fold need not write
 * the event again. Unknown types read as null, as with {@link JobEventDeserializer}.
 */
public class ReceivedEventDeserializer implements Deserializer<ReceivedEvent> {

    private final JobEventDeserializer events = new JobEventDeserializer();

    @Override
    public ReceivedEvent deserialize(String topic, byte[] data) {
        return wrap(events.deserialize(topic, data), data);
    }

    @Override
    public ReceivedEvent deserialize(String topic, Headers headers, byte[] data) {
        return wrap(events.deserialize(topic, headers, data), data);
    }

    private static ReceivedEvent wrap(JobEvent event, byte[] data) {
        return event == null ? null : new ReceivedEvent(event, new String(data, StandardCharsets.UTF_8));
    }
}
