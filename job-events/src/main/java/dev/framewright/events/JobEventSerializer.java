package dev.framewright.events;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a {@link JobEvent} as a CloudEvents 1.0 binary-mode Kafka record: JSON body, attributes in headers.
 * Configure {@value #SOURCE_CONFIG} with the producing service's URI reference.
 */
public class JobEventSerializer implements Serializer<JobEvent> {

    public static final String SOURCE_CONFIG = "framewright.cloudevents.source";

    private String source = "/framewright";

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object configured = configs.get(SOURCE_CONFIG);
        if (configured != null) {
            source = configured.toString();
        }
    }

    @Override
    public byte[] serialize(String topic, JobEvent event) {
        return event == null ? null : JobEventJson.write(event);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, JobEvent event) {
        if (event == null) {
            return null;
        }
        put(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        // A record missing its id, job or time (a dead letter of a broken request) still goes out, without that header.
        put(headers, CloudEventHeaders.ID, event.eventId());
        put(headers, CloudEventHeaders.SOURCE, source);
        put(headers, CloudEventHeaders.TYPE, event.type());
        put(headers, CloudEventHeaders.SUBJECT, event.jobId());
        put(headers, CloudEventHeaders.TIME, event.time());
        put(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        return JobEventJson.write(event);
    }

    private static void put(Headers headers, String name, Object value) {
        headers.remove(name);
        if (value != null) {
            headers.add(name, value.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
