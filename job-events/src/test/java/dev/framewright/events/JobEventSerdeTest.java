package dev.framewright.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class JobEventSerdeTest {

    private final UUID jobId = UUID.randomUUID();
    private final Instant now = Instant.parse("2026-11-22T10:15:30.123Z");

    @Test
    void writesCloudEventsBinaryHeadersAndReadsTheSameRecordBack() {
        JobCompleted completed = new JobCompleted(UUID.randomUUID(), jobId, "acme", 2, now,
                new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 3.0, 1280, 720, "h264", 30.0, "aac", 48000, 2),
                List.of(new OutputResult("small", OutputType.VIDEO,
                        List.of(new OutputFile("jobs/" + jobId + "/small/small.mp4", 12345, "video/mp4")),
                        new MediaInfo("mp4", 3.0, 640, 360, "h264", 30.0, "aac", 48000, 2))));

        RecordHeaders headers = new RecordHeaders();
        try (JobEventSerializer serializer = new JobEventSerializer();
                JobEventDeserializer deserializer = new JobEventDeserializer()) {
            serializer.configure(Map.of(JobEventSerializer.SOURCE_CONFIG, "/framewright/transcoder"), false);
            byte[] body = serializer.serialize(Topics.JOB_LIFECYCLE, headers, completed);

            assertThat(header(headers, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(headers, "ce_type")).isEqualTo("framewright.job.completed.v1");
            assertThat(header(headers, "ce_subject")).isEqualTo(jobId.toString());
            assertThat(header(headers, "ce_id")).isEqualTo(completed.eventId().toString());
            assertThat(header(headers, "ce_source")).isEqualTo("/framewright/transcoder");
            assertThat(header(headers, "ce_time")).isEqualTo("2026-11-22T10:15:30.123Z");
            assertThat(header(headers, "content-type")).isEqualTo("application/json");
            assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"type\":\"video\"").contains("\"attempt\":2");

            assertThat(deserializer.deserialize(Topics.JOB_LIFECYCLE, headers, body)).isEqualTo(completed);
        }
    }

    @Test
    void everyEventTypeRoundTrips() {
        List<JobEvent> events = List.of(
                new JobRequested(UUID.randomUUID(), jobId, "acme", 0, now,
                        new InputObject("uploads/x", "clip.mp4", "video/mp4", 42),
                        List.of(new OutputSpec("thumb", OutputType.IMAGE, 100, 100, 1.5))),
                new JobStarted(UUID.randomUUID(), jobId, "acme", 1, now, "worker-1"),
                new JobProgress(UUID.randomUUID(), jobId, "acme", 1, now, 42.5, "transcoding:small", 1.2, 88.0),
                new JobFailed(UUID.randomUUID(), jobId, "acme", 1, now, "unsupported_media", "not media"));
        try (JobEventSerializer serializer = new JobEventSerializer();
                JobEventDeserializer deserializer = new JobEventDeserializer()) {
            for (JobEvent event : events) {
                RecordHeaders headers = new RecordHeaders();
                byte[] body = serializer.serialize(Topics.JOB_LIFECYCLE, headers, event);
                assertThat(deserializer.deserialize(Topics.JOB_LIFECYCLE, headers, body)).isEqualTo(event);
            }
        }
    }

    @Test
    void skipsTypesThisVersionDoesNotKnow() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", "framewright.job.teleported.v9".getBytes(StandardCharsets.UTF_8));
        try (JobEventDeserializer deserializer = new JobEventDeserializer()) {
            assertThat(deserializer.deserialize(Topics.JOB_LIFECYCLE, headers, "{}".getBytes(StandardCharsets.UTF_8)))
                    .isNull();
        }
    }

    private static String header(RecordHeaders headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
