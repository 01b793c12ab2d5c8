package dev.framewright.projector.kafka;

import dev.framewright.events.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads each record into a {@link DecodedRecord} and never throws: a body that is not a job event comes through
 * with its raw bytes and the reason, so the projector parks it with its coordinates instead of the connector
 * dropping it (or stopping the channel). The event keeps the record's JSON for the history, so the fold need not
 * write it again.
 */
public class ReceivedEventDeserializer implements Deserializer<DecodedRecord> {

    /** The setting that bounds a body ({@link EventDecoder#DEFAULT_MAX_BYTES} unless set). */
    public static final String MAX_BYTES = "framewright.projector.max-record-bytes";

    private int maxBytes = EventDecoder.DEFAULT_MAX_BYTES;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        try {
            maxBytes = ConfigProvider.getConfig().getOptionalValue(MAX_BYTES, Integer.class)
                    .orElse(EventDecoder.DEFAULT_MAX_BYTES);
        } catch (IllegalStateException noConfig) {
            maxBytes = EventDecoder.DEFAULT_MAX_BYTES;
        }
    }

    @Override
    public DecodedRecord deserialize(String topic, byte[] data) {
        return EventDecoder.decode(null, data, maxBytes);
    }

    @Override
    public DecodedRecord deserialize(String topic, Headers headers, byte[] data) {
        Header type = headers == null ? null : headers.lastHeader(CloudEventHeaders.TYPE);
        String ceType = type == null || type.value() == null ? null
                : new String(type.value(), StandardCharsets.UTF_8);
        return EventDecoder.decode(ceType, data, maxBytes);
    }
}
