package dev.framewright.projector.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.framewright.events.EventType;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventJson;
import dev.framewright.projector.store.ReceivedEvent;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decodes a record body into a job event, or says precisely why it cannot be one. Used by the Kafka deserializer and
 * again when an operator re-applies a parked record, so both judge a body the same way.
 */
public final class EventDecoder {

    /** The default body limit: the broker's default record size; an event over it is not one any service wrote. */
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    private EventDecoder() {
    }

    public static DecodedRecord decode(String ceType, byte[] data, int maxBytes) {
        if (data == null) {
            return DecodedRecord.bad(ceType, null, ParkReason.EMPTY_RECORD, "The record has no value");
        }
        if (ceType == null) {
            return DecodedRecord.bad(null, data, ParkReason.MISSING_TYPE, "The record has no ce_type header");
        }
        Optional<EventType> type = EventType.fromCeType(ceType);
        if (type.isEmpty()) {
            return DecodedRecord.unknownType(ceType, data);
        }
        if (data.length > maxBytes) {
            return DecodedRecord.bad(ceType, data, ParkReason.TOO_LARGE,
                    "The body has " + data.length + " bytes, over the limit of " + maxBytes);
        }
        JobEvent event;
        try {
            event = JobEventJson.read(data, type.get().recordClass());
        } catch (UncheckedIOException e) {
            Throwable cause = e.getCause();
            String reason = cause instanceof MismatchedInputException ? ParkReason.INVALID_FIELD
                    : ParkReason.MALFORMED_JSON;
            String message = cause instanceof JsonProcessingException j ? j.getOriginalMessage() : cause.toString();
            return DecodedRecord.bad(ceType, data, reason, message);
        } catch (RuntimeException e) {
            // A record constructor refusing a value, for example.
            return DecodedRecord.bad(ceType, data, ParkReason.INVALID_FIELD, e.toString());
        }
        if (event == null) {
            return DecodedRecord.bad(ceType, data, ParkReason.INVALID_FIELD, "The body is JSON null, not an event");
        }
        String missing = missingEnvelopeField(event);
        if (missing != null) {
            return DecodedRecord.bad(ceType, data, ParkReason.MISSING_FIELD, "Required field '" + missing
                    + "' is missing");
        }
        return DecodedRecord.event(new ReceivedEvent(event, new String(data, StandardCharsets.UTF_8)), ceType, data);
    }

    /** The fold groups, orders and stores by these: without one an event cannot be folded at all. */
    private static String missingEnvelopeField(JobEvent e) {
        if (e.eventId() == null) {
            return "eventId";
        }
        if (e.jobId() == null) {
            return "jobId";
        }
        if (e.tenant() == null || e.tenant().isBlank()) {
            return "tenant";
        }
        if (e.time() == null) {
            return "time";
        }
        return null;
    }
}
