package dev.framewright.api.job;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.framewright.api.problem.ApiException;
import dev.framewright.api.problem.Problem;
import dev.framewright.api.problem.Problem.FieldError;
import dev.framewright.api.problem.Violations;
import dev.framewright.api.limits.LimitsConfig;
import dev.framewright.api.template.TemplateStore;
import dev.framewright.events.OutputType;
import dev.framewright.events.rules.ClientText;
import dev.framewright.events.rules.JobLimits;
import dev.framewright.events.rules.OutputRules;
import dev.framewright.events.rules.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads a job spec strictly: unknown fields, wrong types and values outside the limits are a 400 naming the field,
 * never silently ignored or coerced. The outputs are read straight into the contract's records (snake_case) and
 * checked with the contract's rulebook ({@link OutputRules}), which the transcoder applies again; labels and the
 * webhook URL with {@link ClientText}. A tenant's {@code max_duration_seconds} and {@code retention_hours} may only
 * lower the operator's maximums ({@value JobLimits#MAX_JOB_DURATION}, {@code framewright.limits.max-retention}).
 */
@ApplicationScoped
public class JobSpecParser {

    private final ObjectMapper mapper;
    private final ObjectMapper canonical;
    private final Validator validator;
    private final long maxDurationSeconds;
    private final long maxRetentionHours;
    private final int maxInlineInputBytes;
    private final TemplateStore templates;
    private final boolean describeModel;

    public JobSpecParser(ObjectMapper mapper, Validator validator, LimitsConfig limits, TemplateStore templates,
            @ConfigProperty(name = JobLimits.MAX_JOB_DURATION, defaultValue = JobLimits.DEFAULT_MAX_JOB_DURATION)
            Duration maxJobDuration,
            @ConfigProperty(name = "framewright.retention.default-hours") int defaultRetentionHours,
            @ConfigProperty(name = OutputRules.DESCRIBE_MODEL) Optional<String> describeModel) {
        this.templates = templates;
        this.describeModel = describeModel.filter(m -> !m.isBlank()).isPresent();
        this.maxDurationSeconds = maxJobDuration.toSeconds();
        this.maxRetentionHours = limits.maxRetention().toHours();
        this.maxInlineInputBytes = limits.maxInlineInputBytes();
        if (maxInlineInputBytes < 0 || maxInlineInputBytes > JobLimits.MAX_INLINE_INPUT_BYTES) {
            throw new IllegalStateException("framewright.limits.max-inline-input-bytes (" + maxInlineInputBytes
                    + ") must be between 0 and " + JobLimits.MAX_INLINE_INPUT_BYTES + " (JobLimits.MAX_INLINE_INPUT_BYTES)");
        }
        if (defaultRetentionHours > maxRetentionHours) {
            throw new IllegalStateException("framewright.retention.default-hours (" + defaultRetentionHours
                    + ") is above framewright.limits.max-retention (" + limits.maxRetention() + ")");
        }
        this.mapper = mapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // "width": "100" is a mistake worth reporting, not a number.
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            this.mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        this.canonical = mapper.copy().enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        this.validator = validator;
    }

    /**
     * @param json        the spec as sent
     * @param withUpload  true for a JSON submission, which must name its {@code upload_id}; false for multipart
     * @param tenant      whose templates a {@code template} field may name
     */
    public JobSpec parse(String json, boolean withUpload, String tenant) {
        int bytes = checkText(json);
        JobSpec spec = read(json);
        // An inline input's bytes do not count against the spec's own size; its decoded size has its own cap.
        int inlineChars = spec.input() != null && spec.input().base64() != null ? spec.input().base64().length() : 0;
        if (bytes - inlineChars > JobSpec.MAX_BYTES) {
            throw ApiException.invalidField("spec", "is " + (bytes - inlineChars) + " bytes"
                    + (inlineChars > 0 ? " besides input.base64" : "") + "; at most " + JobSpec.MAX_BYTES);
        }
        if (spec.template() != null || spec.templateVersion() != null) {
            spec = withTemplate(json, spec, tenant);
        }
        List<FieldError> errors = ruleErrors(spec);
        if (!withUpload) {
            if (spec.uploadId() != null) {
                errors.add(new FieldError("upload_id", "must not be given with a multipart 'file'"));
            }
            if (spec.input() != null) {
                errors.add(new FieldError("input", "must not be given with a multipart 'file'"));
            }
        } else if (spec.input() != null) {
            if (spec.uploadId() != null) {
                errors.add(new FieldError("input", "give either upload_id or input, not both"));
            }
            errors.addAll(inlineInputErrors(spec));
        } else if (spec.uploadId() == null || spec.uploadId().isBlank()) {
            errors.add(new FieldError("upload_id", "is required: the id POST /v1/uploads returned (or send the media "
                    + "inline as input.base64)"));
        }
        throwIfAny(errors);
        refuseDescribeWithoutModel(spec);
        return spec;
    }

    /**
     * The spec of a template ({@code POST /v1/templates}): read and checked by exactly the rules of a job's spec,
     * without an input (a job that names the template brings its own) and without naming another template.
     */
    public JobSpec parseTemplate(String json) {
        checkText(json);
        JobSpec spec = read(json);
        List<FieldError> errors = ruleErrors(spec);
        if (spec.uploadId() != null) {
            errors.add(new FieldError("upload_id", "a template names no input: the job that uses it does"));
        }
        if (spec.input() != null) {
            errors.add(new FieldError("input", "a template names no input: the job that uses it does"));
        }
        if (spec.template() != null || spec.templateVersion() != null) {
            errors.add(new FieldError(spec.template() != null ? "template" : "template_version",
                    "a template cannot be based on another template"));
        }
        throwIfAny(errors);
        return spec;
    }

    /**
     * The tenant's template (the named version, else the latest) with the job's own top-level fields in place of the
     * template's; {@code outputs} given in the job replace the template's outputs whole. The result names the
     * template and the version used.
     */
    private JobSpec withTemplate(String json, JobSpec spec, String tenant) {
        if (spec.template() == null) {
            throw ApiException.invalidField("template_version", "is only used with template");
        }
        TemplateStore.Template template = tenant == null ? null
                : templates.find(tenant, spec.template(), spec.templateVersion());
        if (template == null) {
            String field = spec.templateVersion() != null && tenant != null
                    && templates.find(tenant, spec.template(), null) != null ? "template_version" : "template";
            throw new ApiException(Problem.of(400, "unknown_template", "Unknown template", "You have no template '"
                    + spec.template() + "'" + (spec.templateVersion() == null ? "" : " version " + spec.templateVersion())
                    + "; create it with POST /v1/templates")
                    .withErrors(List.of(new FieldError(field, "no such template of yours"))));
        }
        try {
            com.fasterxml.jackson.databind.node.ObjectNode merged =
                    (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(template.spec());
            mapper.readTree(json).properties().forEach(field -> merged.set(field.getKey(), field.getValue()));
            merged.put("template", template.name());
            merged.put("template_version", template.version());
            return read(mapper.writeValueAsString(merged));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Template " + template.name() + " v" + template.version()
                    + " is not valid JSON", e);
        }
    }

    /** The text checks before any parsing; returns its size in UTF-8 bytes. */
    private int checkText(String json) {
        if (json == null || json.isBlank()) {
            throw ApiException.invalidField("spec", "is missing: send the job spec as JSON");
        }
        // The multipart layer decodes the part leniently, turning bytes that are not UTF-8 into U+FFFD; a spec
        // with one is refused rather than stored with its labels silently altered.
        if (json.indexOf('\uFFFD') >= 0) {
            throw ApiException.invalidField("spec", "is not valid UTF-8");
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBodyBytes()) {
            throw ApiException.invalidField("spec", "is " + bytes + " bytes; at most " + JobSpec.MAX_BYTES);
        }
        return bytes;
    }

    /** The spec strictly read: a 400 naming the field for unknown fields, wrong types and bad values. */
    private JobSpec read(String json) {
        JobSpec spec;
        try {
            spec = mapper.readValue(json, JobSpec.class);
        } catch (InvalidTypeIdException e) {
            throw ApiException.invalidField(path(e) + ".type", (e.getTypeId() == null ? "is required"
                    : "'" + e.getTypeId() + "' is not an output type") + ", expected one of " + outputTypes());
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.invalidField(path(e), "is not a known field"
                    + (e.getKnownPropertyIds() == null ? "" : "; known: " + e.getKnownPropertyIds().stream()
                            .map(Object::toString).sorted().collect(Collectors.joining(", "))));
        } catch (InvalidFormatException e) {
            throw ApiException.invalidField(path(e), "invalid value " + e.getValue() + expected(e));
        } catch (MismatchedInputException e) {
            throw ApiException.invalidField(path(e), "has the wrong type" + expected(e));
        } catch (JsonProcessingException e) {
            throw ApiException.invalidField(e instanceof JsonMappingException m ? path(m) : "spec",
                    "is not valid JSON for a job: " + e.getOriginalMessage());
        }
        if (spec == null) {
            throw ApiException.invalidField("spec", "must be a JSON object");
        }
        return spec;
    }

    /** The rules every spec keeps, a job's or a template's: the contract's rulebook and the operator's maximums. */
    private List<FieldError> ruleErrors(JobSpec spec) {
        List<FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(spec)));
        List<Violation> violations = new ArrayList<>(OutputRules.check(spec.outputs()));
        violations.addAll(ClientText.labels(spec.labels()));
        violations.forEach(v -> errors.add(new FieldError(v.field(), v.message())));
        if (spec.webhook() != null && spec.webhook().url() != null) {
            String problem = ClientText.webhookUrlProblem(spec.webhook().url());
            if (problem != null) {
                errors.add(new FieldError("webhook.url", problem));
            }
        }
        if (spec.maxDurationSeconds() != null && spec.maxDurationSeconds() > maxDurationSeconds) {
            errors.add(new FieldError("max_duration_seconds", "must be at most " + maxDurationSeconds
                    + ", this deployment's maximum; a job may only lower it"));
        }
        if (spec.retentionHours() != null && spec.retentionHours() > maxRetentionHours) {
            errors.add(new FieldError("retention_hours", "must be at most " + maxRetentionHours
                    + ", this deployment's maximum"));
        }
        return errors;
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiException.invalidSpec(errors.stream()
                    .sorted(java.util.Comparator.comparing(FieldError::field)).toList());
        }
    }

    /**
     * A valid spec with a {@code describe} output, on a deployment without a classifier model
     * ({@value OutputRules#DESCRIBE_MODEL} unset): 422 {@code model_unavailable}, before anything is stored or queued,
     * rather than a job that could only fail.
     */
    private void refuseDescribeWithoutModel(JobSpec spec) {
        if (describeModel) {
            return;
        }
        List<FieldError> refused = new ArrayList<>();
        for (int i = 0; i < spec.outputs().size(); i++) {
            if (spec.outputs().get(i) instanceof dev.framewright.events.DescribeOutput) {
                refused.add(new FieldError("outputs[" + i + "].type", "describe needs a classifier model, and this "
                        + "deployment has none configured"));
            }
        }
        if (!refused.isEmpty()) {
            throw new ApiException(Problem.of(422, "model_unavailable", "Model unavailable", "This deployment has no "
                    + "classifier model configured (FRAMEWRIGHT_DESCRIBE_MODEL), so it cannot run describe outputs")
                    .withErrors(refused));
        }
    }

    /**
     * The largest JSON body {@code POST /v1/jobs} reads: a spec, plus an inline input's base64 (4 characters per 3
     * bytes) with room for line breaks.
     */
    public int maxBodyBytes() {
        long base64 = 4L * ((maxInlineInputBytes + 2) / 3);
        return (int) Math.min(Integer.MAX_VALUE, JobSpec.MAX_BYTES + base64 + base64 / 32);
    }

    /** What is wrong with an inline input; a 413 when it decodes to more than the deployment's cap. */
    private List<FieldError> inlineInputErrors(JobSpec spec) {
        JobSpec.InlineInput input = spec.input();
        List<FieldError> errors = new ArrayList<>();
        if (maxInlineInputBytes == 0) {
            errors.add(new FieldError("input", "inline inputs are turned off on this deployment; upload the media "
                    + "with POST /v1/uploads and give its upload_id"));
            return errors;
        }
        if (input.base64() == null || input.base64().isBlank()) {
            errors.add(new FieldError("input.base64", "is required: the media, base64-encoded"));
        } else {
            try {
                int size = input.decode().length;
                if (size > maxInlineInputBytes) {
                    throw new ApiException(Problem.of(413, "payload_too_large", "Payload too large", "An inline input "
                            + "may be at most " + maxInlineInputBytes + " bytes decoded; this one is " + size
                            + ". Upload larger media with POST /v1/uploads")
                            .withErrors(List.of(new FieldError("input.base64", "at most " + maxInlineInputBytes
                                    + " bytes decoded"))));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("input.base64", "is not valid base64: " + e.getMessage()));
            }
        }
        if (input.contentType() != null) {
            String problem = ClientText.contentTypeProblem(input.contentType());
            if (problem != null) {
                errors.add(new FieldError("input.content_type", problem));
            }
        }
        List<dev.framewright.events.OutputSpec> outputs = spec.outputs() == null ? List.of() : spec.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) instanceof dev.framewright.events.VideoOutput v && v.overlay() != null) {
                errors.add(new FieldError("outputs[" + i + "].overlay", "is not available with an inline input: "
                        + "submit with upload_id, or as multipart with an 'overlay' part"));
            }
        }
        return errors;
    }

    /** The spec in one canonical form (sorted keys), for hashing requests under an Idempotency-Key. */
    public String canonical(JobSpec spec) {
        try {
            return canonical.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String outputTypes() {
        return Arrays.stream(OutputType.values()).map(OutputType::wireName).collect(Collectors.joining(", "));
    }

    private static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName()
                        : ref.getIndex() >= 0 ? "[" + ref.getIndex() + "]" : "")
                .collect(Collectors.joining());
        return path.isEmpty() ? "spec" : path.startsWith(".") ? path.substring(1) : path;
    }

    private static String expected(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "";
        }
        if (target.isEnum()) {
            return ", expected one of " + Arrays.stream(target.getEnumConstants())
                    .map(c -> {
                        try {
                            return String.valueOf(target.getMethod("wireName").invoke(c));
                        } catch (ReflectiveOperationException ex) {
                            return c.toString().toLowerCase(Locale.ROOT);
                        }
                    })
                    .collect(Collectors.joining(", "));
        }
        if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
            return ", expected a number";
        }
        if (target == String.class) {
            return ", expected a string";
        }
        if (Map.class.isAssignableFrom(target)) {
            return ", expected an object";
        }
        if (List.class.isAssignableFrom(target)) {
            return ", expected an array";
        }
        return "";
    }
}
