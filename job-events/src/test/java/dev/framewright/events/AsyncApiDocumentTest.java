package dev.framewright.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The AsyncAPI document is the contract's published form: it must describe every type and field the records have. */
class AsyncApiDocumentTest {

    private final JsonNode doc = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Path.of("asyncapi.yaml").toFile());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyEventTypeIsAMessageNamedByItsCloudEventsType() {
        Set<String> names = new HashSet<>();
        doc.at("/components/messages").forEach(m -> names.add(m.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(EventType.values()).map(EventType::ceType).toList());
    }

    @Test
    void everyRecordFieldIsDocumented() {
        for (EventType type : EventType.values()) {
            assertDocumented(type.recordClass(), type.recordClass().getSimpleName());
        }
        for (Class<?> spec : OutputSpec.class.getPermittedSubclasses()) {
            assertDocumented(spec, spec.getSimpleName());
        }
        for (Class<?> c : List.of(InputObject.class, Webhook.class, MediaInfo.class, StreamInfo.class, OutputResult.class,
                OutputFile.class, OutputFailure.class, Overlay.class, OutputManifest.class,
                Loudness.class, LoudnessReport.class, DescribeLabel.class)) {
            assertDocumented(c, c.getSimpleName());
        }
    }

    @Test
    void failureCodesAndTopicsMatch() {
        List<String> codes = StreamSupport.stream(doc.at("/components/schemas/FailureCode/enum").spliterator(), false)
                .map(JsonNode::asText).toList();
        assertThat(codes).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(FailureCode.values()).map(FailureCode::wireName).toList());
        assertThat(doc.at("/channels/jobLifecycle/address").asText()).isEqualTo(Topics.JOB_LIFECYCLE);
        assertThat(doc.at("/channels/deadLetters/address").asText()).isEqualTo(Topics.DEAD_LETTER);
        assertThat(doc.at("/channels/jobRequests/address").asText().replace("{queue}", "default"))
                .isEqualTo(Topics.JOB_REQUESTS);
    }

    private void assertDocumented(Class<?> record, String schemaName) {
        JsonNode schema = doc.at("/components/schemas/" + schemaName);
        assertThat(schema.isMissingNode()).as("schema %s", schemaName).isFalse();
        Set<String> properties = new HashSet<>();
        collectProperties(schema, properties);
        for (RecordComponent component : record.getRecordComponents()) {
            assertThat(properties).as("%s documents %s", schemaName, component.getName()).contains(component.getName());
        }
    }

    private void collectProperties(JsonNode schema, Set<String> into) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            collectProperties(doc.at(ref.substring(1)), into);
        }
        schema.path("properties").fieldNames().forEachRemaining(into::add);
        schema.path("allOf").forEach(part -> collectProperties(part, into));
    }
}
