package dev.framewright.transcoder.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.JobEventJson;
import dev.framewright.transcoder.storage.ControlStore.Attempts;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AttemptsTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void attemptNumbersNeverRepeat() {
        Attempts none = Attempts.NONE;
        assertThat(none.next(0)).isEqualTo(1);
        Attempts first = none.started(1, "w1", T);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.ended().next(0)).isEqualTo(2);
        // A retry request says 3 attempts were made (e.g. the object was lost): continue after both.
        assertThat(first.ended().next(3)).isEqualTo(4);
    }

    @Test
    void crashesInARowQuarantineAndAnyEndResetsTheCount() {
        Attempts a = Attempts.NONE;
        for (int i = 1; i <= 2; i++) {
            a = a.started(a.next(0), "w" + i, T); // the worker died: never ended
        }
        assertThat(a.unfinished()).isEqualTo(2);
        assertThat(a.quarantined(3)).isFalse();
        Attempts third = a.started(a.next(0), "w3", T);
        assertThat(third.quarantined(3)).isTrue();
        assertThat(third.lastWorker()).isEqualTo("w3");
        assertThat(a.ended().unfinished()).isZero();
        assertThat(a.ended().attempts()).isEqualTo(2);
    }

    @Test
    void aReleasedAttemptIsNotACrash() {
        Attempts before = Attempts.NONE.started(1, "w1", T).ended();
        Attempts started = before.started(2, "w2", T);
        Attempts released = started.released(before);
        assertThat(released.unfinished()).isZero();
        assertThat(released.attempts()).isEqualTo(2); // the number stays used
        assertThat(released.next(0)).isEqualTo(3);
    }

    @Test
    void roundTripsAsTheDocumentedJson() throws Exception {
        Attempts a = new Attempts(2, 1, "pod-7", T, null, null);
        String json = JobEventJson.mapper().writeValueAsString(a);
        assertThat(json).contains("\"attempts\":2", "\"unfinished\":1", "\"lastWorker\":\"pod-7\"",
                "\"lastStartedAt\":\"2026-01-01T00:00:00Z\"");
        assertThat(JobEventJson.mapper().readValue(json, Attempts.class)).isEqualTo(a);
    }
}
