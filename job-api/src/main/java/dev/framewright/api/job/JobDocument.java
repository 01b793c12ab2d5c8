package dev.framewright.api.job;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A job as clients see it ({@code GET /v1/jobs/{id}}); serialized snake_case, nulls left out.
 *
 * @param attempts how many times a worker started the job
 * @param webhook  where notifications go and how their deliveries went (deliveries only on the single-job view)
 * @param template the template version the job was made from ({@code "template"} in its spec), else absent
 */
public record JobDocument(UUID id, String status, String queue, Map<String, String> labels, Progress progress,
        int attempts, Instant createdAt, Instant startedAt, Instant finishedAt, Instant canceledAt, Instant expiresAt,
        Instant expiredAt, Integer maxDurationSeconds, Input input, List<Output> outputs, Error error,
        Webhook webhook, Template template) {

    /** A template ({@code POST /v1/templates}) by name and the version used. */
    public record Template(String name, int version) {
    }

    /** @param etaSeconds estimated seconds left, once the worker measured its speed */
    public record Progress(double percent, String stage, Double fps, Double etaSeconds) {
    }

    /** @param media what the input decoded to (streams included), once a worker probed it */
    public record Input(String filename, String contentType, Long size, MediaInfo media) {
    }

    /**
     * @param spec  the output as requested, defaults left out
     * @param url   the output's main file (e.g. {@code master.m3u8} of an HLS ladder), once it succeeded
     * @param files       the output's files, each downloadable at its own url: every one, or, when there are too many
     *                    to list ({@code manifest_url} set), the principal ones (playlists, tracks, sprites, the
     *                    first few others); every file is downloadable by its path either way
     * @param fileCount   how many files the output has in all, once it succeeded
     * @param manifestUrl a JSON list of every file ({@code {job_id, output, files: [{path, size, content_type}]}}),
     *                    when {@code files} lists only some
     */
    public record Output(String name, String type, String status, Double progress, OutputSpec spec, String url,
            List<File> files, Integer fileCount, String manifestUrl, MediaInfo media, Error error) {
    }

    /** @param path relative to the output: files of one output refer to each other by these paths */
    public record File(String path, long size, String contentType, String url) {
    }

    public record Error(String code, String message) {
    }

    public record Webhook(String url, boolean progress, List<Delivery> deliveries) {
    }

    /** One notification: the event that caused it and every attempt to deliver it. */
    public record Delivery(long id, String eventType, String url, String status, int attempts, Integer lastStatus,
            String lastError, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, List<Attempt> history) {
    }

    public record Attempt(int attempt, Instant at, Integer status, String error, int durationMs) {
    }
}
