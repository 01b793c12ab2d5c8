package dev.framewright.projector.kafka;

import dev.framewright.projector.store.ReceivedEvent;

/**
 * What the projector's deserializer made of one record's body: a job event, a type newer than this projector
 * (skipped, as the contract says), or a body it cannot trust, with the raw bytes and the reason so it can be parked.
 * The deserializer never throws and never returns null: every record reaches the projector with its coordinates.
 *
 * @param event  the decoded event; null unless {@link #isEvent()}
 * @param ceType the record's {@code ce_type} header, or null
 * @param raw    the body as received (null for a record without a value)
 * @param reason a stable {@link ParkReason} code; null for an event or an unknown type
 * @param detail what was wrong, for the operator
 */
public record DecodedRecord(ReceivedEvent event, String ceType, byte[] raw, String reason, String detail) {

    static DecodedRecord event(ReceivedEvent event, String ceType, byte[] raw) {
        return new DecodedRecord(event, ceType, raw, null, null);
    }

    static DecodedRecord unknownType(String ceType, byte[] raw) {
        return new DecodedRecord(null, ceType, raw, null, null);
    }

    static DecodedRecord bad(String ceType, byte[] raw, String reason, String detail) {
        return new DecodedRecord(null, ceType, raw, reason, detail);
    }

    public boolean isEvent() {
        return event != null;
    }

    /** A type this projector does not know: skipped, never parked (consumers skip types they do not know). */
    public boolean isUnknownType() {
        return event == null && reason == null;
    }

    public boolean isBad() {
        return reason != null;
    }

    public int size() {
        return raw == null ? 0 : raw.length;
    }
}
