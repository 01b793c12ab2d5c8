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

    /**
     * JSON text for a jsonb parameter cast in SQL ({@code $1::text[]} then {@code ::jsonb}): written once, where a
     * JsonObject would be converted to a tree and then written by the client. Null stays SQL NULL.
     */
    public static String toText(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a jsonb column selected as text ({@code column::text}); SQL NULL and JSON null both read as null. */
    public static <T> T fromText(String json, JavaType type) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JavaType type(Type type) {
        return MAPPER.getTypeFactory().constructType(type);
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
