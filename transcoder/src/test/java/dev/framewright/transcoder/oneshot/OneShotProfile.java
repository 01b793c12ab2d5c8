package dev.framewright.transcoder.oneshot;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The transcoder in one-shot mode with the real media pipeline (the worker tests' FakeRenderer excluded) and the
 * worker tests' short timeouts. Where the stack is comes from system properties the test sets once it runs.
 */
public class OneShotProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("framewright.transcoder.mode", mode()),
                Map.entry("framewright.transcoder.max-jobs", maxJobs()),
                Map.entry("framewright.transcoder.max-idle", "20s"),
                Map.entry("quarkus.arc.exclude-types", "dev.framewright.transcoder.worker.FakeRenderer"),
                Map.entry("quarkus.http.test-port", "0"),
                Map.entry("framewright.transcoder.worker-id", "oneshot-test"),
                Map.entry("framewright.transcoder.max-attempts", "2"),
                Map.entry("framewright.transcoder.retry-backoff", "200ms"),
                Map.entry("framewright.transcoder.retry-backoff-max", "500ms"),
                Map.entry("framewright.transcoder.cancel-poll-interval", "500ms"),
                Map.entry("framewright.transcoder.shutdown-grace", "2s"));
    }

    String mode() {
        return "oneshot";
    }

    String maxJobs() {
        return "0";
    }

    /** A consumer that takes one record from the group and exits: a KEDA ScaledJob's pod. */
    public static class OneRecord extends OneShotProfile {
        @Override
        String mode() {
            return "consumer";
        }

        @Override
        String maxJobs() {
            return "1";
        }
    }
}
