package dev.framewright.events;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a CloudEvents binary-mode record back into its {@link JobEvent} record, choosing the class by {@code ce_type}.
 * A type this version does not know yields {@code null}, so older consumers skip newer events instead of failing.
 */
public class JobEventDeserializer implements Deserializer<JobEvent> {

    @Override
    public JobEvent deserialize(String topic, byte[] data) {
        throw new SerializationException("JobEvent records need their ce_type header; use deserialize(topic, headers, data)");
    }

    @Override
    public JobEvent deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        Header type = headers.lastHeader(CloudEventHeaders.TYPE);
        if (type == null) {
            throw new SerializationException("Record on " + topic + " has no " + CloudEventHeaders.TYPE + " header");
        }
        return EventType.fromCeType(new String(type.value(), StandardCharsets.UTF_8))
                .map(t -> (JobEvent) JobEventJson.read(data, t.recordClass()))
                .orElse(null);
    }
}
