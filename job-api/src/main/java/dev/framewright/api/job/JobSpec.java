package dev.framewright.api.job;

import dev.framewright.events.OutputSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * What a client asks of a job: the {@code spec} part of a multipart {@code POST /v1/jobs}, or the whole JSON body
 * (then with {@code upload_id}). Read snake_case; the outputs are the contract's own records.
 *
 * @param queue              default {@code default}; one of {@code framewright.queues}
 * @param labels             free key=value labels, returned and filterable
 * @param maxDurationSeconds how long one attempt may run; default the transcoder's maximum
 * @param retentionHours     how long input and outputs are kept after submission; default
 *                           {@code framewright.retention.default-hours}
 * @param uploadId           JSON submissions only: the input uploaded through {@code POST /v1/uploads}
 */
public record JobSpec(
        @NotNull(message = "is required: list at least one output")
        @Size(min = 1, max = MAX_OUTPUTS, message = "must list 1 to " + MAX_OUTPUTS + " outputs")
        List<@NotNull(message = "must be an output object") OutputSpec> outputs,
        String queue,
        @Size(max = MAX_LABELS, message = "at most " + MAX_LABELS + " labels")
        Map<@NotNull @Pattern(regexp = LABEL_KEY, message = "label keys must match " + LABEL_KEY) String,
                @NotNull(message = "label values must be strings")
                @Size(max = 256, message = "label values have at most 256 characters") String> labels,
        @Valid WebhookSpec webhook,
        @Min(value = 1, message = "must be at least 1") @Max(value = 604_800, message = "must be at most 604800 (7 days)")
        Integer maxDurationSeconds,
        @Min(value = 1, message = "must be at least 1") @Max(value = 87_600, message = "must be at most 87600 (10 years)")
        Integer retentionHours,
        String uploadId) {

    public static final int MAX_OUTPUTS = 32;
    public static final int MAX_LABELS = 32;
    public static final String LABEL_KEY = "[a-z0-9][a-z0-9_.-]{0,62}";
    /** The largest spec accepted, in bytes of JSON. */
    public static final int MAX_BYTES = 64 * 1024;

    /** @param progress also notify at progress milestones, not only at the terminal state */
    public record WebhookSpec(@NotBlank(message = "is required") @Size(max = 2048, message = "at most 2048 characters") String url,
            Boolean progress) {
    }
}
