package dev.framewright.projector.kafka;

import dev.framewright.projector.fold.ForeignTenantEvent;

/** The stable reasons a record is parked ({@code parked_records.error_code}, the metric's {@code reason} tag). */
public final class ParkReason {

    /** A record without a value. */
    public static final String EMPTY_RECORD = "empty_record";
    /** No {@code ce_type} header: not a CloudEvents job event. */
    public static final String MISSING_TYPE = "missing_type";
    /** A body over {@code framewright.projector.max-record-bytes}. */
    public static final String TOO_LARGE = "too_large";
    /** Not JSON (or not UTF-8). */
    public static final String MALFORMED_JSON = "malformed_json";
    /** A required envelope field (eventId, jobId, tenant, time) is missing or blank. */
    public static final String MISSING_FIELD = "missing_field";
    /** A field of the wrong type or format (a string for a number, a bad UUID or time). */
    public static final String INVALID_FIELD = "invalid_field";
    /** PostgreSQL refused a value of the event (SQLSTATE classes 22, 23, 42...). */
    public static final String DATABASE_REFUSED = "database_refused";
    /** The fold itself failed on the event (a field it needs is missing, a value out of range). */
    public static final String FOLD_FAILED = "fold_failed";

    /** The event names a job of another tenant (only a record written past the API can). */
    public static final String TENANT_MISMATCH = ForeignTenantEvent.REASON;

    private ParkReason() {
    }
}
