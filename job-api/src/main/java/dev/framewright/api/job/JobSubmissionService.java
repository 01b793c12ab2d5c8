package dev.framewright.api.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.api.idempotency.IdempotencyStore;
import dev.framewright.api.problem.ApiException;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.limits.AdmissionControl;
import dev.framewright.api.upload.MediaSniffer;
import dev.framewright.api.template.TemplateStore;
import dev.framewright.api.upload.PartPlan;
import dev.framewright.api.upload.UploadConfig;
import dev.framewright.api.upload.UploadPolicy;
import dev.framewright.api.telemetry.Telemetry;
import dev.framewright.api.telemetry.TracedSubmission;
import dev.framewright.api.upload.UploadStore;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobRequested;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Overlay;
import dev.framewright.events.Topics;
import dev.framewright.events.VideoOutput;
import dev.framewright.events.Webhook;
import dev.framewright.events.rules.ClientText;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Accepts a job: stores (or finds) the input, makes {@link JobRequested} durable on the queue's request topic, then
 * seeds the read model. A 202 is only ever sent after the broker acknowledged, so an accepted job cannot be lost;
 * with an Idempotency-Key, a repeated request gets the first one's answer instead of a second job, also after a
 * 503 whose publish landed late: the timed-out event is kept with the key and published again as it was.
 *
 * <p>The input is pinned: the {@link InputObject} carries the ETag of the object that was sniffed (or stored), and the
 * worker downloads only that object, so an upload overwritten after acceptance is never run.
 */
@ApplicationScoped
public class JobSubmissionService {

    /** The multipart part name an overlay spec may refer to. */
    public static final String OVERLAY_PART = "overlay";

    private static final Logger LOG = Logger.getLogger(JobSubmissionService.class);

    /** A multipart file, already spooled to disk by the HTTP layer. */
    public record Part(Path file, String filename, String contentType) {
    }

    /** @param status 202, or the first response's status for a replay */
    public record Accepted(UUID jobId, int status, String body, boolean replayed) {
    }

    /** What an overlay image may be: the formats the transcoder's blender reads (ImageIO). */
    static final Set<String> OVERLAY_KINDS = Set.of("png", "jpeg", "gif", "bmp");

    /** The publish of {@code event} timed out: the broker may still append it. */
    private static final class PublishOutcomeUnknown extends RuntimeException {
        final JobRequested event;
        final ApiException problem;

        PublishOutcomeUnknown(JobRequested event, ApiException problem) {
            super(problem.getMessage(), problem, false, false);
            this.event = event;
            this.problem = problem;
        }
    }

    private final MediaStore store;
    private final EventPublisher publisher;
    private final JobReadModel readModel;
    private final UploadStore uploads;
    private final IdempotencyStore idempotency;
    private final JobSpecParser parser;
    private final ObjectMapper json;
    private final Set<String> queues;
    private final int defaultRetentionHours;
    private final UploadPolicy uploadPolicy;
    private final AdmissionControl admission;
    private final TemplateStore templates;
    private final long multipartAboveBytes;
    private final long partBytes;
    @Inject
    JobMetrics metrics;

    public JobSubmissionService(MediaStore store, EventPublisher publisher, JobReadModel readModel, UploadStore uploads,
            IdempotencyStore idempotency, JobSpecParser parser, ObjectMapper json, UploadPolicy uploadPolicy,
            AdmissionControl admission, @ConfigProperty(name = "framewright.queues") Set<String> queues,
            @ConfigProperty(name = "framewright.retention.default-hours") int defaultRetentionHours,
            UploadConfig uploadConfig, TemplateStore templates) {
        this.templates = templates;
        this.multipartAboveBytes = uploadConfig.multipartAboveBytes();
        this.partBytes = uploadConfig.partBytes();
        this.uploadPolicy = uploadPolicy;
        this.admission = admission;
        this.store = store;
        this.publisher = publisher;
        this.readModel = readModel;
        this.uploads = uploads;
        this.idempotency = idempotency;
        this.parser = parser;
        this.json = json;
        this.queues = queues;
        this.defaultRetentionHours = defaultRetentionHours;
    }

    /** Blocking: {@code POST /v1/jobs} as multipart, with the media in {@code file}. */
    @TracedSubmission
    public Accepted submit(String tenant, JobSpec spec, Part file, Part overlay, String idempotencyKey) {
        String queue = queue(spec);
        if (file == null) {
            throw new ApiException(400, "missing_file", "Missing file", "Send the media as the multipart part 'file'");
        }
        long size = size(file.file());
        if (size == 0) {
            throw new ApiException(400, "empty_upload", "Empty upload", "The 'file' part has no content");
        }
        // By content, not by name or declared type: playlists, scripts and text never reach storage or a worker.
        uploadPolicy.inspect(file.file());
        if (overlay != null) {
            checkOverlayKind("overlay", uploadPolicy.inspect(overlay.file()));
        }
        checkOverlayParts(spec.outputs(), overlay);
        String hash = idempotencyKey == null ? null : sha256(parser.canonical(spec) + "\nfile:" + digest(file.file())
                + "\noverlay:" + (overlay == null ? "" : digest(overlay.file())));
        return idempotent(tenant, idempotencyKey, hash, jobId -> {
            admission.admitBlocking(tenant);
            String inputKey = MediaStore.newInputKey(tenant);
            String overlayKey = overlay == null ? null : MediaStore.newInputKey(tenant);
            String etag;
            try {
                etag = put(inputKey, file);
                if (overlay != null) {
                    put(overlayKey, overlay);
                }
            } catch (RuntimeException e) {
                LOG.error("Could not store the input of job " + jobId, e);
                throw new ApiException(503, "storage_unavailable", "Storage unavailable",
                        "The input could not be stored; nothing was accepted, retry later");
            }
            List<OutputSpec> outputs = withOverlayImage(spec.outputs(), (i, image) -> overlayKey);
            return accept(tenant, jobId, queue, spec, outputs,
                    new InputObject(inputKey, file.filename(), file.contentType(), size, etag));
        });
    }

    /**
     * Blocking: {@code POST /v1/jobs} as JSON with the media inline ({@code input.base64}, checked and capped by
     * {@link JobSpecParser}). The bytes become a file like a multipart {@code file} and take that path from there:
     * the same sniffing, limits, storage and idempotency (the key's hash covers the bytes, not their encoding).
     */
    @TracedSubmission
    public Accepted submitInline(String tenant, JobSpec spec, String idempotencyKey) {
        JobSpec.InlineInput inline = spec.input();
        Path file = null;
        try {
            file = Files.createTempFile("framewright-inline-", ".input");
            Files.write(file, inline.decode());
            String contentType = inline.contentType() == null ? "application/octet-stream" : inline.contentType();
            return submit(tenant, spec.withoutInlineBytes(), new Part(file, ClientText.fileName(inline.filename()),
                    contentType), null, idempotencyKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("Could not delete the inline input's temp file " + file, e);
                }
            }
        }
    }

    /**
     * Blocking: {@code POST /v1/jobs} as JSON, naming an input uploaded through {@code POST /v1/uploads}. Each
     * upload is looked up and claimed for the job in one statement, first; whatever refuses the job afterwards gives
     * the claims back.
     */
    @TracedSubmission
    public Accepted submitUploaded(String tenant, JobSpec spec, String idempotencyKey) {
        String queue = queue(spec);
        String hash = idempotencyKey == null ? null : sha256(parser.canonical(spec));
        return idempotent(tenant, idempotencyKey, hash, jobId -> {
            List<UploadStore.Upload> claimed = new ArrayList<>();
            try {
                UploadStore.Upload input = claim(tenant, spec.uploadId(), "upload_id", jobId, claimed);
                // Overlay images are uploads of the caller too: resolved to their keys, never taken from the client
                // as keys.
                List<UploadStore.Upload> overlays = new ArrayList<>();
                List<OutputSpec> outputs = withOverlayImage(spec.outputs(), (i, image) -> {
                    if (image == null) {
                        throw ApiException.invalidField("outputs[" + i + "].overlay.image",
                                "is required: the upload_id of the overlay image");
                    }
                    UploadStore.Upload upload = claim(tenant, image, "outputs[" + i + "].overlay.image", jobId, claimed);
                    overlays.add(upload);
                    return upload.key();
                });
                MediaStore.Head head = sniff(input, "upload_id");
                for (UploadStore.Upload o : overlays) {
                    checkOverlayKind("outputs.overlay.image", MediaSniffer.sniff(sniff(o, "outputs.overlay.image")
                            .bytes()).orElseThrow());
                }
                admission.admitBlocking(tenant);
                // The object whose bytes were just sniffed is the one the job runs on, whatever is PUT later.
                uploads.pin(input.id(), jobId, head.etag());
                String contentType = head.contentType() != null ? head.contentType() : input.contentType();
                return accept(tenant, jobId, queue, spec, outputs,
                        new InputObject(input.key(), input.filename(), contentType, head.size(), head.etag()));
            } catch (RuntimeException e) {
                if (e instanceof PublishOutcomeUnknown && idempotencyKey != null) {
                    // The job may exist: its uploads stay its own, and a retry with the key finishes accepting it.
                    throw e;
                }
                for (UploadStore.Upload u : claimed) {
                    try {
                        uploads.unclaim(u.id(), jobId);
                    } catch (RuntimeException unclaim) {
                        e.addSuppressed(unclaim);
                    }
                }
                throw e;
            }
        });
    }

    /**
     * Stores a spooled part: one PUT up to {@code framewright.uploads.multipart-above-bytes}, above it one S3
     * multipart upload of {@link PartPlan}'s parts, each streamed from its range of the file (constant memory).
     *
     * @return the stored object's ETag
     */
    private String put(String key, Part part) {
        long size = size(part.file());
        return size > multipartAboveBytes
                ? store.putFileMultipart(key, part.file(), part.contentType(), PartPlan.of(size, partBytes))
                : store.putFile(key, part.file(), part.contentType());
    }

    private Accepted idempotent(String tenant, String key, String hash, Function<UUID, Accepted> submit) {
        if (key == null) {
            try {
                return submit.apply(UUID.randomUUID());
            } catch (PublishOutcomeUnknown e) {
                throw unknownOutcome(e, false);
            }
        }
        IdempotencyStore.Reservation reservation = idempotency.reserve(tenant, key, hash);
        if (reservation instanceof IdempotencyStore.Replay replay) {
            metrics.replayed();
            return new Accepted(replay.jobId(), replay.status(), replay.body(), true);
        }
        IdempotencyStore.Reserved reserved = (IdempotencyStore.Reserved) reservation;
        Accepted accepted;
        try {
            if (reserved.pendingEvent() != null) {
                // An earlier request's publish timed out: finish accepting that same job, with that same event.
                JobRequested pending = JobEventJson.read(reserved.pendingEvent().getBytes(StandardCharsets.UTF_8),
                        JobRequested.class);
                LOG.infof("Job %s: publishing again the request whose first publish timed out", pending.jobId());
                accepted = publishAndSeed(pending, templates.usedBy(pending.jobId()));
            } else {
                accepted = submit.apply(reserved.jobId());
            }
        } catch (PublishOutcomeUnknown e) {
            idempotency.markPending(tenant, key, new String(JobEventJson.write(e.event), StandardCharsets.UTF_8));
            throw unknownOutcome(e, true);
        } catch (RuntimeException e) {
            idempotency.release(tenant, key);
            throw e;
        }
        idempotency.complete(tenant, key, accepted.status(), accepted.body());
        return accepted;
    }

    private static ApiException unknownOutcome(PublishOutcomeUnknown e, boolean keyed) {
        return new ApiException(503, e.problem.problem().code(), e.problem.problem().title(), keyed
                ? "The job queue did not acknowledge in time; the job may still be queued. Retry with the same "
                        + "Idempotency-Key: you get this job, never a second one"
                : "The job queue did not acknowledge in time; the job may still be queued. Send an Idempotency-Key "
                        + "so that a retry cannot make a second job");
    }

    private Accepted accept(String tenant, UUID jobId, String queue, JobSpec spec, List<OutputSpec> outputs,
            InputObject input) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps: cursors compare equal
        int retention = spec.retentionHours() != null ? spec.retentionHours() : defaultRetentionHours;
        Map<String, String> labels = spec.labels() == null ? Map.of() : spec.labels();
        Webhook webhook = spec.webhook() == null ? null
                : new Webhook(spec.webhook().url(), Boolean.TRUE.equals(spec.webhook().progress()));
        Instant startDeadline = spec.startWithinSeconds() == null ? null : now.plusSeconds(spec.startWithinSeconds());
        JobRequested requested = new JobRequested(UUID.randomUUID(), jobId, tenant, 0, now, queue, input, outputs,
                labels, webhook, spec.maxDurationSeconds(), now.plus(retention, ChronoUnit.HOURS), false, startDeadline);
        JobDocument.Template template = spec.template() == null ? null
                : new JobDocument.Template(spec.template(), spec.templateVersion());
        if (template != null) {
            // Before the publish: an accepted job always has its template recorded (a job never accepted leaves a
            // row that nothing joins).
            templates.used(jobId, tenant, template.name(), template.version());
        }
        return publishAndSeed(requested, template);
    }

    /** Publishes the request (a timeout throws {@link PublishOutcomeUnknown}), then seeds its row from it alone. */
    private Accepted publishAndSeed(JobRequested requested, JobDocument.Template template) {
        UUID jobId = requested.jobId();
        String tenant = requested.tenant();
        String queue = requested.queue();
        Webhook webhook = requested.webhook();
        Span.current().setAttribute(Telemetry.JOB_ID, jobId.toString());
        try {
            publisher.publish(Topics.requests(queue), requested);
        } catch (ApiException e) {
            throw new PublishOutcomeUnknown(requested, e);
        }
        metrics.submitted(queue, tenant);

        JobRow row = new JobRow(jobId, tenant, "queued", queue, requested.labels(), 0, 0, "queued", null, null,
                requested.input(), null, requested.outputs().stream().map(StoredOutput::queued).toList(), null, null,
                webhook == null ? null : webhook.url(), webhook != null && webhook.progress(),
                requested.maxDurationSeconds(), requested.time(), null, null, requested.expiresAt(), null, null,
                template);
        try {
            readModel.seed(row);
        } catch (RuntimeException e) {
            // The request is durable; the projector will create the row from it. Only read-your-write suffers.
            LOG.warn("Could not seed the read model for job " + jobId + "; the projector will", e);
        }
        admission.accepted(tenant);
        try {
            return new Accepted(jobId, 202, json.writeValueAsString(JobReadModel.document(row, List.of())), false);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The spec's queue, or 400 {@code unknown_queue} when it is not one of {@code framewright.queues}. */
    public String queue(JobSpec spec) {
        String queue = spec.queue() == null ? Topics.DEFAULT_QUEUE : spec.queue();
        if (!queues.contains(queue)) {
            throw new ApiException(new dev.framewright.api.problem.Problem("https://framewright.dev/problems/unknown_queue",
                    "Unknown queue", 400, "Queue '" + queue + "' does not exist; one of " + new java.util.TreeSet<>(queues),
                    "unknown_queue", null, List.of(new dev.framewright.api.problem.Problem.FieldError("queue",
                            "must be one of " + new java.util.TreeSet<>(queues)))));
        }
        return queue;
    }

    /**
     * A direct upload never passed through job-api: its first bytes are sniffed before a job may use it. One ranged
     * GET gives both those bytes and the object's size.
     */
    private MediaStore.Head sniff(UploadStore.Upload upload, String field) {
        MediaStore.Head head = store.readHead(upload.key(), MediaSniffer.HEAD_BYTES).orElseThrow(() ->
                new ApiException(400, "upload_missing", "Upload missing",
                        "Nothing was uploaded for upload_id " + upload.id() + " (yet); PUT the file first"));
        if (head.bytes().length == 0 || MediaSniffer.sniff(head.bytes()).isEmpty()) {
            throw new ApiException(415, "unsupported_media_type", "Unsupported media type", "Upload " + upload.id()
                    + " is not a media container job-api accepts (recognised by its content, not its name or type)");
        }
        // The presigned PUT signs the announced length; a store that did not enforce it is caught here.
        if (head.size() != upload.size()) {
            throw new ApiException(new dev.framewright.api.problem.Problem(
                    "https://framewright.dev/problems/upload_size_mismatch", "Upload size mismatch", 400,
                    "Upload " + upload.id() + " is " + head.size() + " bytes, not the " + upload.size()
                            + " announced to POST /v1/uploads", "upload_size_mismatch", null,
                    List.of(new dev.framewright.api.problem.Problem.FieldError(field, "size differs from the announced size"))));
        }
        return head;
    }

    private static void checkOverlayKind(String field, String kind) {
        if (!OVERLAY_KINDS.contains(kind)) {
            throw new ApiException(new dev.framewright.api.problem.Problem(
                    "https://framewright.dev/problems/unsupported_media_type", "Unsupported media type", 415,
                    "An overlay is a PNG, JPEG, GIF or BMP image; this one is " + kind, "unsupported_media_type", null,
                    List.of(new dev.framewright.api.problem.Problem.FieldError(field, "must be a png, jpeg, gif or bmp image"))));
        }
    }

    /** The tenant's upload, now claimed by the job (added to {@code claimed} to give back if the job is refused). */
    private UploadStore.Upload claim(String tenant, String id, String field, UUID jobId,
            List<UploadStore.Upload> claimed) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw uploadMissing(field, id);
        }
        UploadStore.Claim claim = uploads.claim(tenant, uuid, jobId);
        if (claim == null) {
            throw uploadMissing(field, id);
        }
        UploadStore.Upload upload = claim.upload();
        if (claim.claimed() && claimed.stream().noneMatch(u -> u.id().equals(upload.id()))) {
            claimed.add(upload);
        }
        if (!MediaStore.isInputOf(upload.key(), tenant)) {
            throw uploadMissing(field, id);
        }
        if (!claim.claimed()) {
            throw new ApiException(409, "upload_used", "Upload already used",
                    "Upload " + upload.id() + " was used by another job; upload again for a new job");
        }
        return upload;
    }

    private static ApiException uploadMissing(String field, String id) {
        return new ApiException(new dev.framewright.api.problem.Problem("https://framewright.dev/problems/upload_missing",
                "Upload missing", 400, "There is no upload " + id + " of yours; create one with POST /v1/uploads",
                "upload_missing", null, List.of(new dev.framewright.api.problem.Problem.FieldError(field,
                        "no such upload"))));
    }

    /** Multipart: an {@code overlay} part goes with video overlays that leave {@code image} out (or name the part). */
    private static void checkOverlayParts(List<OutputSpec> outputs, Part overlay) {
        boolean used = false;
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) instanceof VideoOutput v && v.overlay() != null) {
                String image = v.overlay().image();
                if (image != null && !OVERLAY_PART.equals(image)) {
                    throw ApiException.invalidField("outputs[" + i + "].overlay.image",
                            "must be left out or 'overlay' (the multipart part holding the image)");
                }
                if (overlay == null) {
                    throw ApiException.invalidField("outputs[" + i + "].overlay.image",
                            "send the overlay image as the multipart part 'overlay'");
                }
                used = true;
            }
        }
        if (overlay != null && !used) {
            throw ApiException.invalidField("overlay", "an overlay part was sent but no video output has an overlay");
        }
        if (overlay != null && size(overlay.file()) == 0) {
            throw ApiException.invalidField("overlay", "the overlay part is empty");
        }
    }

    private interface ImageResolver {
        String resolve(int index, String image);
    }

    private static List<OutputSpec> withOverlayImage(List<OutputSpec> outputs, ImageResolver resolver) {
        List<OutputSpec> resolved = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            OutputSpec output = outputs.get(i);
            if (output instanceof VideoOutput v && v.overlay() != null) {
                Overlay o = v.overlay();
                output = v.withOverlay(o.withImage(resolver.resolve(i, o.image())));
            }
            resolved.add(output);
        }
        return List.copyOf(resolved);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
