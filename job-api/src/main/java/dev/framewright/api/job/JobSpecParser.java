package dev.framewright.api.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.framewright.api.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the {@code spec} part strictly: unknown fields and bad values are a 400, never silently ignored. */
@ApplicationScoped
public class JobSpecParser {

    private final ObjectMapper mapper;
    private final Validator validator;

    public JobSpecParser(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        this.validator = validator;
    }

    public JobSpec parse(String json) {
        if (json == null || json.isBlank()) {
            throw ApiException.invalidSpec("The 'spec' part is missing: send the job spec as JSON");
        }
        JobSpec spec;
        try {
            spec = mapper.readValue(json, JobSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.invalidSpec("Unknown field '" + e.getPropertyName() + "' at " + path(e));
        } catch (InvalidFormatException e) {
            throw ApiException.invalidSpec("Invalid value " + e.getValue() + " at " + path(e) + expected(e));
        } catch (JsonProcessingException e) {
            throw ApiException.invalidSpec("The spec is not valid JSON for a job: " + e.getOriginalMessage());
        }
        if (spec == null) {
            throw ApiException.invalidSpec("The spec must be a JSON object");
        }
        var violations = validator.validate(spec);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        Set<String> names = new HashSet<>();
        for (OutputRequest output : spec.outputs()) {
            if (!names.add(output.name())) {
                throw ApiException.invalidSpec("Output name '" + output.name() + "' is used twice; names are unique in a job");
            }
        }
        return spec;
    }

    private static String path(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m)) {
            return "$";
        }
        return m.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("", "$", ""));
    }

    private static String expected(InvalidFormatException e) {
        Class<?> target = e.getTargetType();
        if (target != null && target.isEnum()) {
            return ", expected one of " + java.util.Arrays.stream(target.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        return "";
    }
}
