package dev.framewright.events.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobRequested;
import dev.framewright.events.OutputManifest;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.rules.ObjectKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The bucket layout and the cancel object as every writer and reader of them sees them, in the contract. */
class ControlObjectsTest {

    private static final UUID JOB = UUID.fromString("0b7c3c9e-5a0e-4f7a-9a51-3f2f0e0c8d11");

    @Test
    void keysFollowTheDocumentedLayout() {
        String job = "jobs/" + JOB + "/";
        assertThat(ObjectKeys.jobPrefix(JOB)).isEqualTo(job);
        assertThat(ObjectKeys.outputFile(JOB, "hls", "720p/seg-00001.ts")).isEqualTo(job + "hls/720p/seg-00001.ts");
        assertThat(OutputManifest.key(JOB, "hls")).isEqualTo(job + "hls/_files.json");
        assertThat(ObjectKeys.cancel(JOB)).isEqualTo(job + "_control/cancel");
        assertThat(ObjectKeys.attempts(JOB)).isEqualTo(job + "_control/attempts");
        assertThat(ObjectKeys.attemptClaim(JOB, 3)).isEqualTo(job + "_control/claims/attempt-3");
        assertThat(ObjectKeys.answerClaim(JOB, 0)).isEqualTo(job + "_control/claims/answer-0");
    }

    @Test
    void noOutputNameReachesTheControlFolder() {
        String control = ObjectKeys.CONTROL.substring(0, ObjectKeys.CONTROL.length() - 1);
        assertThat(OutputSpec.NAME.matcher(control).matches()).isFalse();
        for (String name : List.of("a", "hls", "poster-1", "x_y")) {
            assertThat(ObjectKeys.outputPrefix(JOB, name)).doesNotStartWith(ObjectKeys.controlPrefix(JOB));
        }
    }

    @Test
    void theCancelObjectKeepsItsWireFormat() throws Exception {
        Instant at = Instant.parse("2026-12-04T10:15:30.123456Z");
        byte[] written = JobEventJson.mapper().writeValueAsBytes(new CancelRequest(at, true));
        assertThat(JobEventJson.mapper().readValue(written, Map.class))
                .isEqualTo(Map.of("requestedAt", "2026-12-04T10:15:30.123456Z", "terminalEmitted", true));
        // Objects written by earlier job-api versions, with a field added later ignored.
        CancelRequest old = JobEventJson.mapper().readValue(
                "{\"requestedAt\":\"2026-12-04T10:15:30.123456Z\",\"terminalEmitted\":false,\"by\":\"x\"}",
                CancelRequest.class);
        assertThat(old).isEqualTo(new CancelRequest(at, false));
    }

    @Test
    void aCancelCoversRequestsUpToItAndNotALaterRetry() {
        Instant at = Instant.parse("2026-12-04T10:00:00Z");
        CancelRequest cancel = new CancelRequest(at, false);
        assertThat(cancel.appliesTo(request(at.minusSeconds(5)))).isTrue();
        assertThat(cancel.appliesTo(request(at))).isTrue();
        assertThat(cancel.appliesTo(request(at.plusNanos(1000)))).isFalse();
        assertThat(new CancelRequest(null, false).appliesTo(request(at))).isTrue();
    }

    private static JobRequested request(Instant time) {
        return new JobRequested(UUID.randomUUID(), JOB, "t", 0, time, "default", null, List.of(), Map.of(), null,
                null, null, false);
    }
}
