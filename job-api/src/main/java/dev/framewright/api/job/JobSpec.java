package dev.framewright.api.job;

import dev.framewright.events.OutputSpec;
import dev.framewright.events.rules.ClientText;
import dev.framewright.events.rules.OutputRules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * What a client asks of a job: the {@code spec} part of a multipart {@code POST /v1/jobs}, or the whole JSON body
 * (then with {@code upload_id}). Read snake_case; the outputs are the contract's own records. Outputs, labels and the
 * webhook URL are checked with the contract's rulebook ({@code OutputRules}, {@code ClientText}) by
 * {@link JobSpecParser}, as are the operator's maximums of the two limits.
 *
 * @param queue              default {@code default}; one of {@code framewright.queues}
 * @param labels             free key=value labels, returned and filterable
 * @param maxDurationSeconds how long one attempt may run; default and at most the operator's maximum
 * @param retentionHours     how long input and outputs are kept after submission; default
 *                           {@code framewright.retention.default-hours}, at most {@code framewright.limits.max-retention}
 * @param uploadId           JSON submissions only: the input uploaded through {@code POST /v1/uploads}
 */
public record JobSpec(
        List<OutputSpec> outputs,
        String queue,
        Map<String, String> labels,
        @Valid WebhookSpec webhook,
        @Min(value = 1, message = "must be at least 1") Integer maxDurationSeconds,
        @Min(value = 1, message = "must be at least 1") Integer retentionHours,
        String uploadId) {

    public static final int MAX_OUTPUTS = OutputRules.MAX_OUTPUTS;
    public static final int MAX_LABELS = ClientText.MAX_LABELS;
    public static final String LABEL_KEY = ClientText.LABEL_KEY;
    /** The largest spec accepted, in bytes of JSON. */
    public static final int MAX_BYTES = 64 * 1024;

    /** @param progress also notify at progress milestones, not only at the terminal state */
    public record WebhookSpec(@NotBlank(message = "is required") @Size(max = ClientText.MAX_URL, message = "at most " + ClientText.MAX_URL + " characters") String url,
            Boolean progress) {
    }
}
