package dev.framewright.projector.park;

import java.time.Instant;
import java.util.UUID;

/**
 * A record the projector parked instead of folding (a row of {@code parked_records}).
 *
 * @param errorClass {@code decode} (the body is not a job event) or {@code fold} (the fold or database refused it)
 * @param errorCode  a stable {@link dev.framewright.projector.kafka.ParkReason}
 * @param payload    the body as received; null for a record without a value
 */
public record ParkedRecord(Long id, String topic, int partition, long offset, String key, String ceType,
        String errorClass, String errorCode, String sqlState, String errorMessage, byte[] payload, UUID jobId,
        String tenant, Instant parkedAt, Instant reappliedAt, int reapplyAttempts) {

    public static final String DECODE = "decode";
    public static final String FOLD = "fold";

    /** A record to park, before it has a row. */
    public static ParkedRecord of(String topic, int partition, long offset, String key, String ceType,
            String errorClass, String errorCode, String sqlState, String errorMessage, byte[] payload, UUID jobId,
            String tenant) {
        return new ParkedRecord(null, topic, partition, offset, key, ceType, errorClass, errorCode, sqlState,
                errorMessage, payload, jobId, tenant, null, null, 0);
    }
}
