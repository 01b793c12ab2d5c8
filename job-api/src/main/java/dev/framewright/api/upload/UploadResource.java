package dev.framewright.api.upload;

import dev.framewright.api.problem.ApiException;
import dev.framewright.api.problem.Problem;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.tenant.Caller;
import dev.framewright.events.rules.ClientText;
import dev.framewright.events.rules.ObjectKeys;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code /v1/uploads}: inputs go straight to the object store instead of through job-api. Up to
 * {@code framewright.uploads.multipart-above-bytes} (64 MiB) one presigned PUT; above it an S3 multipart upload:
 * presigned part URLs ({@link PartPlan}), a listing of the stored parts to resume from, and a completion that checks
 * every part is there. Submit the job afterwards with {@code {"upload_id": ...}}.
 */
@Path("/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UploadResource {

    /** The most part URLs one answer signs; ask {@code POST /v1/uploads/{id}/parts} for the rest. */
    public static final int MAX_SIGNED_PARTS = 100;

    /**
     * @param filename    for people only; cleaned by {@link ClientText#fileName} (the job shows the cleaned name)
     * @param contentType the Content-Type the PUT must send; default application/octet-stream
     * @param size        bytes the client will upload
     */
    public record UploadRequest(String filename, String contentType,
            @NotNull(message = "is required") @Positive(message = "must be greater than 0") Long size) {
    }

    /**
     * A single PUT ({@code url}, {@code method}, {@code headers}) or, above the threshold, a multipart upload
     * ({@code part_size}, {@code part_count}, the first {@value #MAX_SIGNED_PARTS} {@code parts}).
     *
     * @param headers every header the PUT must send, exactly as given (they are part of the signature)
     */
    public record UploadTicket(UUID uploadId, URI url, String method, Map<String, String> headers,
            Instant expiresAt, Boolean multipart, Long partSize, Integer partCount, List<PartUrl> parts) {
    }

    /** A presigned PUT of one part: send exactly {@code size} bytes with {@code headers}; keep the answer's ETag. */
    public record PartUrl(int partNumber, long size, URI url, String method, Map<String, String> headers,
            Instant expiresAt) {
    }

    /** Part URLs from {@code POST /v1/uploads/{id}/parts}. */
    public record PartUrls(List<PartUrl> parts) {
    }

    /** One part the store holds. */
    public record StoredPart(int partNumber, long size, String etag) {
    }

    /**
     * An upload's state. {@code status}: {@code pending} (not all bytes stored, or not completed),
     * {@code complete} (a job may use it), {@code used} (a job did).
     *
     * @param parts        multipart only, before completion: the parts stored so far, by number
     * @param missingParts multipart only, before completion: the part numbers still to PUT
     */
    public record UploadStatus(UUID uploadId, String filename, String contentType, long size, String status,
            boolean multipart, Long partSize, Integer partCount, List<StoredPart> parts, List<Integer> missingParts,
            Instant completedAt, String etag) {
    }

    private final MediaStore store;
    private final UploadStore uploads;
    private final Caller caller;
    private final Duration ttl;
    private final long maxBytes;
    private final long multipartAbove;
    private final long partBytes;

    public UploadResource(MediaStore store, UploadStore uploads, Caller caller, UploadConfig config) {
        this.store = store;
        this.uploads = uploads;
        this.caller = caller;
        this.ttl = config.presignedTtl();
        this.maxBytes = config.maxBytes();
        this.multipartAbove = config.multipartAboveBytes();
        this.partBytes = config.partBytes();
    }

    @POST
    @Operation(summary = "Get presigned URLs to upload an input directly to object storage",
            description = "Up to framewright.uploads.multipart-above-bytes (64 MiB): one presigned PUT (url, method, "
                    + "headers). Above: an S3 multipart upload: part_size, part_count and presigned URLs of the first "
                    + MAX_SIGNED_PARTS + " parts (POST /v1/uploads/{id}/parts signs more); PUT the parts in any order "
                    + "and in parallel, then POST /v1/uploads/{id}/complete. 413 upload_too_large above "
                    + "framewright.uploads.max-bytes.")
    @APIResponse(responseCode = "201", description = "The upload's ticket")
    public Response create(@Valid @NotNull UploadRequest request) {
        if (request.size() > maxBytes || request.size() > PartPlan.MAX_OBJECT_BYTES) {
            throw new ApiException(413, "upload_too_large", "Upload too large",
                    "Uploads are at most " + Math.min(maxBytes, PartPlan.MAX_OBJECT_BYTES) + " bytes");
        }
        String contentTypeProblem = ClientText.contentTypeProblem(request.contentType());
        if (contentTypeProblem != null) {
            throw ApiException.invalidField("content_type", contentTypeProblem);
        }
        String tenant = caller.tenant();
        UUID id = UUID.randomUUID();
        String key = ObjectKeys.upload(tenant, id);
        String contentType = request.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM : request.contentType();
        String filename = ClientText.fileName(request.filename());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (request.size() > multipartAbove) {
            return Response.status(201).entity(createMultipart(tenant, id, key, filename, contentType,
                    request.size(), now)).build();
        }
        MediaStore.PresignedPut put = store.presignPut(key, contentType, request.size(), ttl);
        uploads.insert(new UploadStore.Upload(id, tenant, key, filename, contentType, request.size(), now,
                put.expiresAt(), null));
        return Response.status(201)
                .entity(new UploadTicket(id, put.url(), put.method(), put.headers(), put.expiresAt(), null, null,
                        null, null))
                .build();
    }

    private UploadTicket createMultipart(String tenant, UUID id, String key, String filename, String contentType,
            long size, Instant now) {
        PartPlan plan = PartPlan.of(size, partBytes);
        String uploadId = store.createMultipart(key, contentType);
        try {
            uploads.insertMultipart(new UploadStore.Upload(id, tenant, key, filename, contentType, size, now,
                    now.plus(ttl), null), uploadId, plan.partSize());
        } catch (RuntimeException e) {
            store.abortMultipart(key, uploadId);
            throw e;
        }
        List<PartUrl> parts = sign(key, uploadId, plan, 1, Math.min(plan.partCount(), MAX_SIGNED_PARTS));
        return new UploadTicket(id, null, null, null, parts.get(0).expiresAt(), true, plan.partSize(),
                plan.partCount(), parts);
    }

    @POST
    @Path("/{id}/parts")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Presign more part URLs of a multipart upload",
            description = "Parts from..to (1-based, inclusive, at most " + MAX_SIGNED_PARTS + " per call; to defaults "
                    + "to from+" + (MAX_SIGNED_PARTS - 1) + " or the last part). Also to renew URLs that expired. 409 "
                    + "upload_not_multipart for a single-PUT upload, upload_completed once completed.")
    public PartUrls parts(@PathParam("id") String id,
            @Parameter(description = "first part number, default 1") @RestQuery Integer from,
            @Parameter(description = "last part number") @RestQuery Integer to) {
        UploadStore.Multipart upload = openMultipart(id);
        PartPlan plan = upload.plan();
        int first = from == null ? 1 : from;
        int last = to == null ? Math.min(plan.partCount(), first + MAX_SIGNED_PARTS - 1) : to;
        if (first < 1 || first > plan.partCount()) {
            throw invalidQuery("from", "must be between 1 and " + plan.partCount() + ", the part count");
        }
        if (last < first || last > plan.partCount() || last - first >= MAX_SIGNED_PARTS) {
            throw invalidQuery("to", "must be between from and " + Math.min(plan.partCount(),
                    first + MAX_SIGNED_PARTS - 1) + " (at most " + MAX_SIGNED_PARTS + " parts per call)");
        }
        return new PartUrls(sign(upload.upload().key(), upload.uploadId(), plan, first, last));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An upload's state; for a multipart upload the parts stored so far, to resume after a failure")
    public UploadStatus get(@PathParam("id") String id) {
        UploadStore.Multipart upload = find(id);
        UploadStore.Upload u = upload.upload();
        String used = u.jobId() != null ? "used" : null;
        if (upload.uploadId() == null) {
            var head = store.head(u.key());
            return new UploadStatus(u.id(), u.filename(), u.contentType(), u.size(),
                    used != null ? used : head.isPresent() ? "complete" : "pending", false, null, null, null, null,
                    null, head.map(h -> h.eTag()).orElse(null));
        }
        PartPlan plan = upload.plan();
        if (upload.completedAt() != null) {
            String etag = store.head(u.key()).map(h -> h.eTag()).orElse(null);
            return new UploadStatus(u.id(), u.filename(), u.contentType(), u.size(), used != null ? used : "complete",
                    true, plan.partSize(), plan.partCount(), null, null, upload.completedAt(), etag);
        }
        List<MediaStore.StoredPart> stored = store.listParts(u.key(), upload.uploadId())
                .orElseThrow(() -> ApiException.notFound("Upload " + id));
        return new UploadStatus(u.id(), u.filename(), u.contentType(), u.size(), "pending", true, plan.partSize(),
                plan.partCount(), stored.stream().map(p -> new StoredPart(p.number(), p.size(), p.etag())).toList(),
                missing(plan, stored), null, null);
    }

    @POST
    @Path("/{id}/complete")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Complete a multipart upload from the parts stored",
            description = "Assembles the object from parts 1..part_count as the store lists them, in order. 409 "
                    + "upload_incomplete while a part is missing (errors[] names each, parts[n]); 400 "
                    + "upload_size_mismatch when a part's size is not the plan's, so the total would differ from the "
                    + "announced size. Completing again answers the same. Afterwards a job may use the upload_id.")
    public UploadStatus complete(@PathParam("id") String id) {
        UploadStore.Multipart upload = find(id);
        if (upload.uploadId() == null) {
            throw notMultipart(id);
        }
        if (upload.completedAt() != null) {
            return get(id);
        }
        UploadStore.Upload u = upload.upload();
        PartPlan plan = upload.plan();
        List<MediaStore.StoredPart> stored = store.listParts(u.key(), upload.uploadId())
                .orElseThrow(() -> ApiException.notFound("Upload " + id));
        List<Integer> missing = missing(plan, stored);
        if (!missing.isEmpty()) {
            List<Problem.FieldError> errors = missing.stream().limit(100)
                    .map(n -> new Problem.FieldError("parts[" + n + "]", "is missing: PUT it, then complete again"))
                    .toList();
            throw new ApiException(Problem.of(409, "upload_incomplete", "Upload incomplete", missing.size() + " of "
                    + plan.partCount() + " parts are not stored yet (GET /v1/uploads/" + id + " lists them)")
                    .withErrors(errors));
        }
        List<MediaStore.StoredPart> planned = stored.stream().filter(p -> p.number() <= plan.partCount()).toList();
        List<Problem.FieldError> wrongSize = new ArrayList<>();
        long total = 0;
        for (MediaStore.StoredPart p : planned) {
            total += p.size();
            if (p.size() != plan.length(p.number())) {
                wrongSize.add(new Problem.FieldError("parts[" + p.number() + "]", "is " + p.size()
                        + " bytes, not " + plan.length(p.number())));
            }
        }
        if (!wrongSize.isEmpty()) {
            throw new ApiException(Problem.of(400, "upload_size_mismatch", "Upload size mismatch", "The parts add up "
                    + "to " + total + " bytes, not the " + u.size() + " announced to POST /v1/uploads")
                    .withErrors(wrongSize));
        }
        store.completeMultipart(u.key(), upload.uploadId(), planned);
        uploads.complete(u.id());
        return get(id);
    }

    private List<PartUrl> sign(String key, String uploadId, PartPlan plan, int first, int last) {
        List<PartUrl> parts = new ArrayList<>(last - first + 1);
        for (int n = first; n <= last; n++) {
            MediaStore.PresignedPut put = store.presignPart(key, uploadId, n, plan.length(n), ttl);
            parts.add(new PartUrl(n, plan.length(n), put.url(), put.method(), put.headers(), put.expiresAt()));
        }
        return parts;
    }

    private static List<Integer> missing(PartPlan plan, List<MediaStore.StoredPart> stored) {
        boolean[] have = new boolean[plan.partCount() + 1];
        for (MediaStore.StoredPart p : stored) {
            if (p.number() >= 1 && p.number() <= plan.partCount()) {
                have[p.number()] = true;
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int n = 1; n <= plan.partCount(); n++) {
            if (!have[n]) {
                missing.add(n);
            }
        }
        return missing;
    }

    private UploadStore.Multipart find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Upload " + id);
        }
        UploadStore.Multipart upload = uploads.findWithParts(caller.tenant(), uuid);
        if (upload == null) {
            throw ApiException.notFound("Upload " + id);
        }
        return upload;
    }

    private UploadStore.Multipart openMultipart(String id) {
        UploadStore.Multipart upload = find(id);
        if (upload.uploadId() == null) {
            throw notMultipart(id);
        }
        if (upload.completedAt() != null) {
            throw ApiException.conflict("upload_completed", "Upload completed",
                    "Upload " + id + " is complete; its parts can no longer be PUT");
        }
        return upload;
    }

    private static ApiException notMultipart(String id) {
        return ApiException.conflict("upload_not_multipart", "Not a multipart upload", "Upload " + id
                + " is a single presigned PUT; it has no parts and needs no completion");
    }

    private static ApiException invalidQuery(String parameter, String message) {
        return new ApiException(Problem.of(400, "invalid_query", "Invalid query", parameter + " " + message)
                .withErrors(List.of(new Problem.FieldError(parameter, message))));
    }
}
