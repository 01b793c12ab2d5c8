package dev.framewright.api.upload;

import dev.framewright.api.problem.ApiException;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.tenant.Caller;
import dev.framewright.events.rules.ClientText;
import dev.framewright.events.rules.ObjectKeys;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /v1/uploads}: a presigned PUT URL for one input object, so large media goes straight to the object
 * store instead of through job-api. Submit the job afterwards with {@code {"upload_id": ...}}.
 */
@Path("/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UploadResource {

    /**
     * @param filename    for people only; cleaned by {@link ClientText#fileName} (the job shows the cleaned name)
     * @param contentType the Content-Type the PUT must send; default application/octet-stream
     * @param size        bytes the client will upload
     */
    public record UploadRequest(String filename, String contentType,
            @NotNull(message = "is required") @Positive(message = "must be greater than 0") Long size) {
    }

    /** @param headers every header the PUT must send, exactly as given (they are part of the signature) */
    public record UploadTicket(UUID uploadId, URI url, String method, Map<String, String> headers,
            Instant expiresAt) {
    }

    private final MediaStore store;
    private final UploadStore uploads;
    private final Caller caller;
    private final Duration ttl;
    private final long maxBytes;

    public UploadResource(MediaStore store, UploadStore uploads, Caller caller, UploadConfig config) {
        this.store = store;
        this.uploads = uploads;
        this.caller = caller;
        this.ttl = config.presignedTtl();
        this.maxBytes = config.maxBytes();
    }

    @POST
    @Operation(summary = "Get a presigned URL to upload an input directly to object storage")
    public Response create(@Valid @NotNull UploadRequest request) {
        if (request.size() > maxBytes) {
            throw new ApiException(413, "upload_too_large", "Upload too large",
                    "Uploads are at most " + maxBytes + " bytes");
        }
        String contentTypeProblem = ClientText.contentTypeProblem(request.contentType());
        if (contentTypeProblem != null) {
            throw ApiException.invalidField("content_type", contentTypeProblem);
        }
        String tenant = caller.tenant();
        UUID id = UUID.randomUUID();
        String key = ObjectKeys.upload(tenant, id);
        String contentType = request.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM : request.contentType();
        MediaStore.PresignedPut put = store.presignPut(key, contentType, request.size(), ttl);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        uploads.insert(new UploadStore.Upload(id, tenant, key, ClientText.fileName(request.filename()), contentType, request.size(), now,
                put.expiresAt(), null));
        return Response.status(201)
                .entity(new UploadTicket(id, put.url(), put.method(), put.headers(), put.expiresAt()))
                .build();
    }
}
