package dev.framewright.api.job;

import dev.framewright.events.MediaInfo;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job as clients see it ({@code GET /v1/jobs/{id}}); serialized snake_case. */
public record JobDocument(UUID id, String status, Progress progress, int attempts, Instant createdAt,
        Instant startedAt, Instant finishedAt, Input input, List<Output> outputs, Error error) {

    public record Progress(double percent, String stage) {
    }

    public record Input(String filename, String contentType, Long size, MediaInfo media) {
    }

    /** @param url where the output is downloaded, once it succeeded */
    public record Output(String name, String type, String status, Integer width, Integer height, Double atSeconds,
            List<File> files, MediaInfo media, String url) {
    }

    public record File(String key, long size, String contentType) {
    }

    public record Error(String code, String message) {
    }
}
