package dev.framewright.events;

/**
 * The Kafka headers of a record on {@link Topics#DEAD_LETTER}, beside the original key, value and headers: why the
 * transcoder gave up on a request. Written by the transcoder, read by {@code framewright redrive} and by any consumer
 * of the dead-letter topic (documented in asyncapi.yaml).
 */
public final class DeadLetterHeaders {

    /** Why, a {@link FailureCode} wire name or one of the transcoder's own ({@code quarantined}, ...). */
    public static final String REASON = "framewright_dlq_reason";
    /** A human-readable detail. */
    public static final String MESSAGE = "framewright_dlq_message";
    /** Attempts made before giving up, as decimal text. */
    public static final String ATTEMPTS = "framewright_dlq_attempts";
    /** The request topic the record came from, where a redrive publishes it again. */
    public static final String SOURCE_TOPIC = "framewright_dlq_source_topic";
    /** The worker that gave up. */
    public static final String WORKER = "framewright_dlq_worker";

    private DeadLetterHeaders() {
    }
}
