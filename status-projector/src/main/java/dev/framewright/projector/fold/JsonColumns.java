package dev.framewright.projector.fold;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.MediaInfo;
import jakarta.persistence.AttributeConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * jsonb columns as text, written and read with the contract's own JSON mapping (the same job-api reads with).
 * Hibernate Reactive's native JSON mapping only handles top-level objects, not the {@code outputs} array.
 */
final class JsonColumns {

    /** Binds the text as text and lets PostgreSQL parse it; bound straight to jsonb it would become a JSON string. */
    static final String WRITE = "CAST(CAST(? AS text) AS jsonb)";

    private JsonColumns() {
    }

    abstract static class Converter<T> implements AttributeConverter<T, String> {
        private final JavaType type;

        Converter(TypeReference<T> type) {
            this.type = JobEventJson.mapper().getTypeFactory().constructType(type);
        }

        @Override
        public String convertToDatabaseColumn(T value) {
            try {
                return value == null ? null : JobEventJson.mapper().writeValueAsString(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public T convertToEntityAttribute(String json) {
            try {
                return json == null ? null : JobEventJson.mapper().readValue(json, type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final class Outputs extends Converter<List<OutputState>> {
        Outputs() {
            super(new TypeReference<>() {
            });
        }
    }

    static final class Input extends Converter<InputObject> {
        Input() {
            super(new TypeReference<>() {
            });
        }
    }

    static final class Media extends Converter<MediaInfo> {
        Media() {
            super(new TypeReference<>() {
            });
        }
    }
}
