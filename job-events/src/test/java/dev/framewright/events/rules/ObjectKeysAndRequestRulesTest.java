package dev.framewright.events.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.FailureCode;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobRequested;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Overlay;
import dev.framewright.events.ProbeOutput;
import dev.framewright.events.VideoOutput;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectKeysAndRequestRulesTest {

    private static final UUID ID = UUID.fromString("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b");

    @Test
    void anUploadKeyIsExactlyUploadsTenantUuid() {
        String key = ObjectKeys.upload("acme", ID);
        assertThat(key).isEqualTo("uploads/acme/" + ID);
        assertThat(ObjectKeys.isUploadOf("acme", key)).isTrue();
        assertThat(ObjectKeys.isUploadOf("acm", key)).isFalse();
        assertThat(ObjectKeys.isUploadOf("acme", "uploads/acme/" + ID + "/x")).isFalse();
        assertThat(ObjectKeys.isUploadOf("acme", "uploads/acme/../globex/" + ID)).isFalse();
        assertThat(ObjectKeys.isUploadOf("acme", "uploads/globex/" + ID)).isFalse();
        assertThat(ObjectKeys.isUploadOf("acme", "jobs/" + ID + "/out/video.mp4")).isFalse();
        assertThat(ObjectKeys.isUploadOf("acme", "uploads/acme/" + ID.toString().toUpperCase())).isFalse();
        assertThat(ObjectKeys.isUploadOf("../x", "uploads/../x/" + ID)).isFalse();
        assertThat(ObjectKeys.isUploadOf("acme", null)).isFalse();
        assertThat(ObjectKeys.newUpload("acme")).startsWith(ObjectKeys.uploadPrefix("acme"));
    }

    private static JobRequested request(UUID jobId, String tenant, InputObject input, List<OutputSpec> outputs) {
        return new JobRequested(UUID.randomUUID(), jobId, tenant, 0, Instant.now(), "default", input, outputs, Map.of(),
                null, null, null, false);
    }

    private static InputObject input(String key) {
        return new InputObject(key, "in.mp4", "video/mp4", 10);
    }

    @Test
    void anOrdinaryRequestPasses() {
        assertThat(RequestRules.check(request(ID, "acme", input(ObjectKeys.upload("acme", ID)),
                List.of(new ProbeOutput("p"))))).isEmpty();
    }

    @Test
    void anotherTenantsObjectIsForeign() {
        RequestRules.Rejection r = RequestRules.check(request(ID, "acme", input(ObjectKeys.upload("globex", ID)),
                List.of(new ProbeOutput("p")))).orElseThrow();
        assertThat(r.reason()).isEqualTo(RequestRules.FOREIGN_OBJECT);
        assertThat(r.code()).isEqualTo(FailureCode.INPUT_MISSING);
        Overlay overlay = new Overlay("uploads/globex/" + ID, null, null, null, null, null, null, null, null);
        RequestRules.Rejection o = RequestRules.check(request(ID, "acme", input(ObjectKeys.upload("acme", ID)),
                List.of(new VideoOutput("v", null, null, null, null, null, null, null, null, null, overlay))))
                .orElseThrow();
        assertThat(o.reason()).isEqualTo(RequestRules.FOREIGN_OBJECT);
        assertThat(o.violations()).extracting(Violation::field).containsExactly("outputs[0].overlay.image");
    }

    @Test
    void missingFieldsAndBrokenRulesAreInvalid() {
        RequestRules.Rejection missing = RequestRules.check(request(null, null, null, null)).orElseThrow();
        assertThat(missing.reason()).isEqualTo(RequestRules.INVALID_REQUEST);
        assertThat(missing.violations()).extracting(Violation::field).containsExactly("jobId", "tenant", "input");
        assertThat(missing.addressable(request(null, null, null, null))).isFalse();

        JobRequested badName = request(ID, "acme", input(ObjectKeys.upload("acme", ID)), List.of(new ProbeOutput("../x")));
        RequestRules.Rejection r = RequestRules.check(badName).orElseThrow();
        assertThat(r.code()).isEqualTo(FailureCode.INVALID_OUTPUT);
        assertThat(r.addressable(badName)).isTrue();
        assertThat(r.message()).contains("outputs[0].name: must match");

        assertThat(RequestRules.check(request(ID, "acme", input(ObjectKeys.upload("acme", ID)), null)).orElseThrow()
                .violations()).extracting(Violation::field).containsExactly("outputs");
    }
}
