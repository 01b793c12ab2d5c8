package dev.framewright.api.job;

import dev.framewright.events.OutputSpec;
import dev.framewright.events.rules.ClientText;
import dev.framewright.events.rules.OutputRules;
import jakarta.validation.Valid;
import dev.framewright.events.rules.JobLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What a client asks of a job: the {@code spec} part of a multipart {@code POST /v1/jobs}, or the whole JSON body
 * (then with {@code upload_id} or an inline {@code input}). Read snake_case; the outputs are the contract's own records. Outputs, labels and the
 * webhook URL are checked with the contract's rulebook ({@code OutputRules}, {@code ClientText}) by
 * {@link JobSpecParser}, as are the operator's maximums of the two limits.
 *
 * @param queue              default {@code default}; one of {@code framewright.queues}
 * @param labels             free key=value labels, returned and filterable
 * @param maxDurationSeconds how long one attempt may run; default and at most the operator's maximum
 * @param retentionHours     how long input and outputs are kept after submission; default
 *                           {@code framewright.retention.default-hours}, at most {@code framewright.limits.max-retention}
 * @param uploadId           JSON submissions only: the input uploaded through {@code POST /v1/uploads}
 * @param input              JSON submissions only, instead of {@code upload_id}: a small input carried inline
 * @param startWithinSeconds a job no worker has started this long after submission is failed unstarted with
 *                           {@code start_deadline_exceeded}; 1 to {@value JobLimits#MAX_START_WITHIN_SECONDS}
 * @param template           the name of one of the tenant's templates ({@code POST /v1/templates}) whose spec the
 *                           job starts from; the job's own top-level fields replace the template's
 * @param templateVersion    with {@code template}: that version, default the latest; after {@link JobSpecParser}
 *                           resolved the template, always the version used
 */
public record JobSpec(
        List<OutputSpec> outputs,
        String queue,
        Map<String, String> labels,
        @Valid WebhookSpec webhook,
        @Min(value = 1, message = "must be at least 1") Integer maxDurationSeconds,
        @Min(value = 1, message = "must be at least 1") Integer retentionHours,
        String uploadId,
        InlineInput input,
        @Min(value = 1, message = "must be at least 1")
        @Max(value = JobLimits.MAX_START_WITHIN_SECONDS, message = "must be at most " + JobLimits.MAX_START_WITHIN_SECONDS)
        Integer startWithinSeconds,
        String template,
        @Min(value = 1, message = "must be at least 1") Integer templateVersion) {

    public static final int MAX_OUTPUTS = OutputRules.MAX_OUTPUTS;
    public static final int MAX_LABELS = ClientText.MAX_LABELS;
    public static final String LABEL_KEY = ClientText.LABEL_KEY;
    /** The largest spec accepted, in bytes of JSON. */
    public static final int MAX_BYTES = 64 * 1024;

    /**
     * The input itself, base64 (RFC 4648, padded; line breaks are ignored), for media small enough to send in the
     * JSON body (at most {@code framewright.limits.max-inline-input-bytes} decoded). It is stored, sniffed and limited
     * exactly like a multipart {@code file}.
     *
     * @param filename    shown in the job document; default {@value ClientText#UNNAMED_FILE}
     * @param contentType default {@code application/octet-stream}; the bytes decide what the input is, not this
     */
    public record InlineInput(String base64, String filename, String contentType) {

        /** The decoded bytes; {@link IllegalArgumentException} when {@code base64} is not base64. */
        public byte[] decode() {
            return Base64.getDecoder().decode(strict(base64));
        }

        /** The same input without its bytes, for hashing the rest of the spec. */
        InlineInput withoutBytes() {
            return new InlineInput(null, filename, contentType);
        }

        /** Base64 with whitespace removed; any other character outside the alphabet is refused, not skipped. */
        private static String strict(String base64) {
            StringBuilder clean = new StringBuilder(base64.length());
            for (int i = 0; i < base64.length(); i++) {
                char c = base64.charAt(i);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    continue;
                }
                if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
                        || c == '=')) {
                    throw new IllegalArgumentException("'" + c + "' at offset " + i + " is not a base64 character");
                }
                clean.append(c);
            }
            if (clean.length() % 4 != 0) {
                throw new IllegalArgumentException("its length (" + clean.length()
                        + " characters without whitespace) is not a multiple of 4: padding missing or data cut short");
            }
            return clean.toString();
        }
    }

    /** The spec with its inline bytes left out (hashed separately, as a multipart file is). */
    JobSpec withoutInlineBytes() {
        return input == null ? this : new JobSpec(outputs, queue, labels, webhook, maxDurationSeconds, retentionHours,
                uploadId, input.withoutBytes(), startWithinSeconds, template, templateVersion);
    }

    /** @param progress also notify at progress milestones, not only at the terminal state */
    public record WebhookSpec(@NotBlank(message = "is required") @Size(max = ClientText.MAX_URL, message = "at most " + ClientText.MAX_URL + " characters") String url,
            Boolean progress) {
    }
}
