package dev.framewright.projector.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.events.JobEventJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/**
 * jsonb values with the contract's own mapping (camelCase, ISO times, nulls left out), bound as Vert.x JSON: a
 * String bound to a jsonb parameter would be stored as a JSON string.
 */
public final class JsonValues {

    private static final ObjectMapper MAPPER = JobEventJson.mapper();

    private JsonValues() {
    }

    /** A JsonObject or JsonArray (or null) for a jsonb parameter. */
    @SuppressWarnings("unchecked")
    public static Object toJson(Object value) {
        if (value == null) {
            return null;
        }
        Object tree = MAPPER.convertValue(value, Object.class);
        if (tree instanceof Map<?, ?> map) {
            return new JsonObject((Map<String, Object>) map);
        }
        if (tree instanceof List<?> list) {
            return new JsonArray((List<Object>) list);
        }
        throw new IllegalArgumentException("Not a JSON object or array: " + value.getClass());
    }

    public static JsonObject toJsonObject(Object value) {
        return (JsonObject) toJson(value);
    }

    /** Reads a jsonb column value (JsonObject/JsonArray, or null) into {@code type}. */
    public static <T> T fromJson(Object json, Type type) {
        if (json == null) {
            return null;
        }
        try {
            JavaType javaType = MAPPER.getTypeFactory().constructType(type);
            String text = json instanceof JsonObject o ? o.encode() : json instanceof JsonArray a ? a.encode()
                    : String.valueOf(json);
            return MAPPER.readValue(text, javaType);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
