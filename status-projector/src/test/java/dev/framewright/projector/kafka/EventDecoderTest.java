package dev.framewright.projector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.JobEventJson;
import dev.framewright.projector.stack.Lifecycles;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How a body is judged, and which failures park a record and which are retried. */
class EventDecoderTest {

    private static final String STARTED = "framewright.job.started.v1";
    private final byte[] started = JobEventJson.write(Lifecycles.newJob().started(1, 1));

    @Test
    void aJobEventDecodesWithItsJsonKept() {
        DecodedRecord d = EventDecoder.decode(STARTED, started, 1024);
        assertThat(d.isEvent()).isTrue();
        assertThat(d.event().json()).isEqualTo(new String(started, StandardCharsets.UTF_8));
    }

    @Test
    void eachBadBodyGetsItsOwnReason() {
        assertThat(reason(STARTED, null)).isEqualTo(ParkReason.EMPTY_RECORD);
        assertThat(reason(null, started)).isEqualTo(ParkReason.MISSING_TYPE);
        assertThat(reason(STARTED, "{\"eventId\":".getBytes())).isEqualTo(ParkReason.MALFORMED_JSON);
        assertThat(reason(STARTED, new byte[] {(byte) 0xff, (byte) 0xfe})).isEqualTo(ParkReason.MALFORMED_JSON);
        // JSON, but not an object: the wrong shape.
        assertThat(reason(STARTED, "null".getBytes())).isEqualTo(ParkReason.INVALID_FIELD);
        assertThat(reason(STARTED, "[1]".getBytes())).isEqualTo(ParkReason.INVALID_FIELD);
        assertThat(reason(STARTED, text().replaceFirst("\"tenant\":\"acme\"", "\"tenant\":\" \"").getBytes()))
                .isEqualTo(ParkReason.MISSING_FIELD);
        assertThat(reason(STARTED, text().replaceFirst("\"time\":\"[^\"]+\"", "\"time\":\"yesterday\"").getBytes()))
                .isEqualTo(ParkReason.INVALID_FIELD);
        assertThat(reason(STARTED, text().replaceFirst("\"jobId\":\"[^\"]+\"", "\"jobId\":,").getBytes()))
                .isEqualTo(ParkReason.MALFORMED_JSON);
        assertThat(reason(STARTED, text().replaceFirst("\"jobId\":\"[^\"]+\"", "\"jobId\":\"not-a-uuid\"")
                .getBytes())).isEqualTo(ParkReason.INVALID_FIELD);
        assertThat(EventDecoder.decode(STARTED, started, started.length - 1).reason()).isEqualTo(ParkReason.TOO_LARGE);
    }

    @Test
    void aNewerTypeIsSkippedNotParked() {
        DecodedRecord d = EventDecoder.decode("framewright.job.teleported.v1", "not even json".getBytes(), 1024);
        assertThat(d.isUnknownType()).isTrue();
        assertThat(d.isBad()).isFalse();
    }

    @Test
    void dataAndIntegrityErrorsParkWhileOutagesAndSchemaErrorsAreRetried() {
        assertThat(Failures.isTransient(pg("22P05"))).isFalse();
        assertThat(Failures.isTransient(pg("22021"))).isFalse();
        assertThat(Failures.isTransient(pg("23514"))).isFalse();
        assertThat(Failures.isTransient(pg("42804"))).isFalse();
        assertThat(Failures.isTransient(pg("40001"))).isTrue();
        assertThat(Failures.isTransient(pg("40P01"))).isTrue();
        assertThat(Failures.isTransient(pg("08006"))).isTrue();
        assertThat(Failures.isTransient(pg("57P01"))).isTrue();
        assertThat(Failures.isTransient(pg("53300"))).isTrue();
        assertThat(Failures.isTransient(pg("42P01"))).isTrue();
        assertThat(Failures.isTransient(new RuntimeException("wrapped", pg("22P05")))).isFalse();
        assertThat(Failures.isTransient(new NullPointerException())).isFalse();
        assertThat(Failures.isTransient(new IllegalArgumentException())).isFalse();
        assertThat(Failures.isTransient(new UncheckedIOException(
                new com.fasterxml.jackson.core.JsonParseException(null, "bad")))).isFalse();
        assertThat(Failures.isTransient(new VertxException("Connection was closed"))).isTrue();
        assertThat(Failures.isTransient(new ConnectException("refused"))).isTrue();
        assertThat(Failures.reason(pg("22P05"))).isEqualTo(ParkReason.DATABASE_REFUSED);
        assertThat(Failures.reason(new NullPointerException())).isEqualTo(ParkReason.FOLD_FAILED);
    }

    private String text() {
        return new String(started, StandardCharsets.UTF_8);
    }

    private static String reason(String ceType, byte[] body) {
        return EventDecoder.decode(ceType, body, 1024 * 1024).reason();
    }

    private static PgException pg(String state) {
        return new PgException("refused", "ERROR", state, null);
    }
}
