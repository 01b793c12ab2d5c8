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
                new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 3.0, 1280, 720, "h264", 30.0, "aac", 48000, 2, 2_000_000L,
                        List.of(new StreamInfo(0, "video", "h264", 1280, 720, 30.0, null, null, 1_800_000L, 3.0, "und"),
                                new StreamInfo(1, "audio", "aac", null, null, null, 48000, 2, 128_000L, 3.0, "eng"))),
                List.of(new OutputResult("small", OutputType.VIDEO,
                        List.of(new OutputFile("video.mp4", "jobs/" + jobId + "/small/video.mp4", 12345, "video/mp4")),
                        MediaInfo.summary("mp4", 3.0, 640, 360, "h264", 30.0, "aac", 48000, 2))));

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
                new JobRequested(UUID.randomUUID(), jobId, "acme", 0, now, "express",
                        new InputObject("uploads/x", "clip.mp4", "video/mp4", 42, "\"9b2cf535f27731c974343645a3985328\""),
                        List.of(new VideoOutput("web", Container.WEBM, null, 720, 30.0, 32, null, false, 1.0, 5.0,
                                        new Overlay("uploads/logo.png", Overlay.Position.TOP_RIGHT, null, null, 16, 120,
                                                0.8, 0.0, 4.0)),
                                new HlsOutput("ladder", List.of(new HlsOutput.Rendition(360, 800)), 4.0),
                                new ThumbnailsOutput("thumbs", 10.0, null, 160, ImageFormat.WEBP, true),
                                new ImageOutput("thumb", 100, 100, ImageOutput.Fit.COVER, 1.5, ImageFormat.PNG),
                                new AudioOutput("sound", AudioOutput.Codec.OPUS, 96),
                                new PreviewOutput("gif", PreviewOutput.Format.GIF, 0.0, 3.0, 320, 10.0),
                                new ProbeOutput("meta")),
                        Map.of("customer", "42"), new Webhook("https://example.com/hook", true), 600,
                        now.plusSeconds(86400), false),
                new JobStarted(UUID.randomUUID(), jobId, "acme", 1, now, "worker-1"),
                new JobProgress(UUID.randomUUID(), jobId, "acme", 1, now, 42.5, "transcoding", 1.2, 88.0, 3.5,
                        Map.of("web", 40.0, "thumbs", 100.0)),
                new JobFailed(UUID.randomUUID(), jobId, "acme", 1, now, "unsupported_media", "not media", null,
                        List.of(), List.of(new OutputFailure("web", OutputType.VIDEO, "invalid_output", "too small"))),
                new JobCanceled(UUID.randomUUID(), jobId, "acme", 1, now),
                new JobExpired(UUID.randomUUID(), jobId, "acme", 1, now));
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
    void anInputWrittenBeforeTheEtagWasPinnedReadsAsUnpinned() throws Exception {
        InputObject old = JobEventJson.mapper().readValue(
                "{\"key\":\"uploads/t/x\",\"filename\":\"a.mp4\",\"contentType\":\"video/mp4\",\"size\":7}",
                InputObject.class);
        assertThat(old).isEqualTo(new InputObject("uploads/t/x", "a.mp4", "video/mp4", 7, null));
    }

    @Test
    void outputsAreDiscriminatedByTypeOnTheWire() throws Exception {
        String json = "{\"name\":\"a\",\"type\":\"thumbnails\",\"everySeconds\":5,\"sprite\":true,\"extra\":1}";
        OutputSpec spec = JobEventJson.mapper().readValue(json, OutputSpec.class);
        assertThat(spec).isEqualTo(new ThumbnailsOutput("a", 5.0, null, null, null, true));
        assertThat(JobEventJson.mapper().writeValueAsString(new ProbeOutput("meta")))
                .isEqualTo("{\"type\":\"probe\",\"name\":\"meta\"}");
    }

    @Test
    void describeTravelsAsTypeDescribeAndItsSummaryAsLabels() throws Exception {
        OutputSpec spec = JobEventJson.mapper().readValue(
                "{\"name\":\"d\",\"type\":\"describe\",\"top\":3,\"everySeconds\":2,\"maxSamples\":10}",
                OutputSpec.class);
        assertThat(spec).isEqualTo(new DescribeOutput("d", 3, 2.0, 10));
        OutputResult result = new OutputResult("d", OutputType.DESCRIBE, List.of(), null, 0, null,
                List.of(new DescribeLabel("red", 0.98)));
        String json = JobEventJson.mapper().writeValueAsString(result);
        assertThat(json).contains("\"type\":\"describe\"").contains("\"labels\":[{\"label\":\"red\",\"score\":0.98}]");
        assertThat(JobEventJson.mapper().readValue(json, OutputResult.class)).isEqualTo(result);
        // A result from a producer older than the summary reads with none.
        assertThat(JobEventJson.mapper().readValue("{\"name\":\"p\",\"type\":\"probe\",\"files\":[]}",
                OutputResult.class).labels()).isNull();
    }

    @Test
    void queuesNameTheirTopics() {
        assertThat(Topics.JOB_REQUESTS).isEqualTo("framewright.job-requests.default.v1");
        assertThat(Topics.requests("express")).isEqualTo("framewright.job-requests.express.v1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Topics.requests("../etc"))
                .isInstanceOf(IllegalArgumentException.class);
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
