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
import dev.framewright.api.problem.Problem.FieldError;
import dev.framewright.api.problem.Violations;
import dev.framewright.events.OutputType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a job spec strictly: unknown fields, wrong types and values outside the limits are a 400 naming the field,
 * never silently ignored or coerced. The outputs are read straight into the contract's records (snake_case).
 */
@ApplicationScoped
public class JobSpecParser {

    private final ObjectMapper mapper;
    private final ObjectMapper canonical;
    private final Validator validator;

    public JobSpecParser(ObjectMapper mapper, Validator validator) {
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
     */
    public JobSpec parse(String json, boolean withUpload) {
        if (json == null || json.isBlank()) {
            throw ApiException.invalidField("spec", "is missing: send the job spec as JSON");
        }
        // The multipart layer decodes the part leniently, turning bytes that are not UTF-8 into U+FFFD; a spec
        // with one is refused rather than stored with its labels silently altered.
        if (json.indexOf('\uFFFD') >= 0) {
            throw ApiException.invalidField("spec", "is not valid UTF-8");
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > JobSpec.MAX_BYTES) {
            throw ApiException.invalidField("spec", "is " + bytes + " bytes; at most " + JobSpec.MAX_BYTES);
        }
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
        List<FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(spec)));
        if (spec.outputs() != null) {
            new OutputChecks(errors).check(spec.outputs());
        }
        if (spec.labels() != null) {
            spec.labels().forEach((key, value) -> {
                if (value != null && !wellFormed(value)) {
                    errors.add(new FieldError("labels[\"" + key + "\"]", "must be valid UTF-8 text"));
                }
            });
        }
        if (spec.webhook() != null && spec.webhook().url() != null && !httpUrl(spec.webhook().url())) {
            errors.add(new FieldError("webhook.url", "must be an absolute http or https URL"));
        }
        if (withUpload && (spec.uploadId() == null || spec.uploadId().isBlank())) {
            errors.add(new FieldError("upload_id", "is required: the id POST /v1/uploads returned"));
        } else if (!withUpload && spec.uploadId() != null) {
            errors.add(new FieldError("upload_id", "must not be given with a multipart 'file'"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalidSpec(errors.stream()
                    .sorted(java.util.Comparator.comparing(FieldError::field)).toList());
        }
        return spec;
    }

    /** The spec in one canonical form (sorted keys), for hashing requests under an Idempotency-Key. */
    public String canonical(JobSpec spec) {
        try {
            return canonical.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean httpUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null && !uri.getHost().isBlank();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** False for text with unpaired surrogates (JSON escapes can make them), which is not encodable as UTF-8. */
    private static boolean wellFormed(String value) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(value);
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
