package dev.framewright.events.rules;

import dev.framewright.events.FailureCode;
import dev.framewright.events.JobRequested;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.VideoOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a consumer checks of a {@link JobRequested} before it acts on it. Kafka is a trust boundary: a record on a
 * request topic is trusted no more than a client's request, so it passes the same rulebook ({@link OutputRules},
 * {@link ClientText}) and may name only objects of its own tenant ({@link ObjectKeys}).
 */
public final class RequestRules {

    /** Dead-letter reason: a required field is missing, or a value breaks the rulebook. */
    public static final String INVALID_REQUEST = "invalid_request";
    /** Dead-letter reason: the request names an object outside its tenant's uploads. */
    public static final String FOREIGN_OBJECT = "foreign_object";

    private static final int MAX_LISTED = 8;

    /**
     * Why a request is refused.
     *
     * @param reason     {@link #INVALID_REQUEST} or {@link #FOREIGN_OBJECT}, for the dead letter
     * @param code       for the job's {@code JobFailed}
     * @param violations what is wrong, field by field
     */
    public record Rejection(String reason, FailureCode code, List<Violation> violations) {

        /** One line for people: the first violations. */
        public String message() {
            String listed = violations.stream().limit(MAX_LISTED).map(Violation::toString)
                    .collect(Collectors.joining("; "));
            return "The request was refused (" + reason + "): " + listed
                    + (violations.size() > MAX_LISTED ? "; and " + (violations.size() - MAX_LISTED) + " more" : "");
        }

        /** Whether the job can be told: a {@code JobFailed} needs its id and a tenant to address. */
        public boolean addressable(JobRequested request) {
            return request.jobId() != null && request.tenant() != null
                    && ObjectKeys.TENANT.matcher(request.tenant()).matches();
        }
    }

    private RequestRules() {
    }

    /** Empty when the request may be run; else the rejection, foreign objects first (they are never read). */
    public static Optional<Rejection> check(JobRequested request) {
        List<Violation> missing = new ArrayList<>();
        if (request.jobId() == null) {
            missing.add(new Violation("jobId", "is required"));
        }
        if (request.tenant() == null) {
            missing.add(new Violation("tenant", "is required"));
        } else if (!ObjectKeys.TENANT.matcher(request.tenant()).matches()) {
            missing.add(new Violation("tenant", "must match " + ObjectKeys.TENANT.pattern()));
        }
        if (request.input() == null) {
            missing.add(new Violation("input", "is required"));
        } else if (request.input().key() == null || request.input().key().isEmpty()) {
            missing.add(new Violation("input.key", "is required"));
        }
        if (request.attempt() < 0) {
            missing.add(new Violation("attempt", "must not be negative"));
        }
        if (!missing.isEmpty()) {
            FailureCode code = request.input() == null || request.input().key() == null
                    ? FailureCode.INPUT_MISSING : FailureCode.INVALID_OUTPUT;
            return Optional.of(new Rejection(INVALID_REQUEST, code, missing));
        }

        List<Violation> foreign = new ArrayList<>();
        String tenant = request.tenant();
        if (!ObjectKeys.isUploadOf(tenant, request.input().key())) {
            foreign.add(new Violation("input.key", "is not an upload of tenant " + tenant));
        }
        List<Violation> invalid = new ArrayList<>();
        List<OutputSpec> outputs = request.outputs() == null ? List.of() : request.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) instanceof VideoOutput v && v.overlay() != null) {
                String image = v.overlay().image();
                if (image == null) {
                    invalid.add(new Violation("outputs[" + i + "].overlay.image", "is required"));
                } else if (!ObjectKeys.isUploadOf(tenant, image)) {
                    foreign.add(new Violation("outputs[" + i + "].overlay.image",
                            "is not an upload of tenant " + tenant));
                }
            }
        }
        if (!foreign.isEmpty()) {
            return Optional.of(new Rejection(FOREIGN_OBJECT, FailureCode.INPUT_MISSING, foreign));
        }

        invalid.addAll(OutputRules.check(request.outputs()));
        invalid.addAll(ClientText.labels(request.labels()));
        if (request.webhook() != null) {
            String problem = ClientText.webhookUrlProblem(request.webhook().url());
            if (problem != null || request.webhook().url() == null) {
                invalid.add(new Violation("webhook.url", problem == null ? "is required" : problem));
            }
        }
        return invalid.isEmpty() ? Optional.empty()
                : Optional.of(new Rejection(INVALID_REQUEST, FailureCode.INVALID_OUTPUT, invalid));
    }
}
