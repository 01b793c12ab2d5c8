package dev.framewright.api.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.api.problem.ApiException;
import dev.framewright.events.rules.ClientText;
import dev.framewright.api.problem.Problem;
import dev.framewright.api.tenant.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code /v1/jobs}: submit, list, read, cancel and retry jobs. Every method is blocking (worker threads) and scoped
 * to the caller's tenant: another tenant's job answers 404. A submission with {@code Prefer: wait=N} returns its
 * worker thread once the job is accepted and waits for its end on timers ({@link JobWaiter}).
 */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    /** One page of {@code GET /v1/jobs}; {@code next_cursor} is absent on the last page. */
    public record JobPage(List<JobDocument> jobs, String nextCursor) {
    }

    public record RetryRequest(Boolean all) {
    }

    private final JobSubmissionService submissions;
    private final JobSpecParser specParser;
    private final JobReadModel readModel;
    private final JobCommands commands;
    private final Caller caller;
    private final ObjectMapper json;
    private final JobWaiter waiter;

    public JobResource(JobSubmissionService submissions, JobSpecParser specParser, JobReadModel readModel,
            JobCommands commands, Caller caller, ObjectMapper json, JobWaiter waiter) {
        this.waiter = waiter;
        this.submissions = submissions;
        this.specParser = specParser;
        this.readModel = readModel;
        this.commands = commands;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    @Operation(summary = "Submit a job with its media",
            description = "Multipart: 'file' (the media), 'spec' (the job spec as JSON), optionally 'overlay' (an image "
                    + "that video outputs with an overlay composite). 202 once the job is durably queued; with "
                    + "'Prefer: wait=N', 200 with the finished job if it ends within N seconds.")
    @Parameter(name = "Prefer", in = ParameterIn.HEADER, description = WAIT_DOC, schema = @Schema(type = SchemaType.STRING))
    public Uni<Response> submit(@RestForm("file") FileUpload file, @RestForm("spec") String spec,
            @RestForm("overlay") FileUpload overlay, @RestHeader("Idempotency-Key") String idempotencyKey,
            @Context HttpHeaders headers, UriInfo uri) {
        checkKey(idempotencyKey);
        JobSpec parsed = specParser.parse(spec, false, caller.tenant());
        return answer(submissions.submit(caller.tenant(), parsed, part("file", file), part("overlay", overlay),
                idempotencyKey), headers, uri);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Submit a job for an input uploaded through POST /v1/uploads, or carried inline",
            description = "JSON: the job spec with 'upload_id', or with 'input': {'base64', 'filename', "
                    + "'content_type'} for media of at most framewright.limits.max-inline-input-bytes (4 MiB). 202 "
                    + "once the job is durably queued; with 'Prefer: wait=N', 200 with the finished job if it ends "
                    + "within N seconds.")
    @Parameter(name = "Prefer", in = ParameterIn.HEADER, description = WAIT_DOC, schema = @Schema(type = SchemaType.STRING))
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobSpec.class)))
    public Uni<Response> submitUploaded(java.io.InputStream body, @RestHeader("Idempotency-Key") String idempotencyKey,
            @Context HttpHeaders headers, UriInfo uri) throws IOException {
        checkKey(idempotencyKey);
        // Read no more than a spec and an inline input may be: a huge JSON body is refused without buffering it.
        int max = specParser.maxBodyBytes();
        byte[] bytes = body.readNBytes(max + 1);
        if (bytes.length > max) {
            throw new ApiException(413, "payload_too_large", "Payload too large", "A JSON job is at most " + max
                    + " bytes: a spec of " + JobSpec.MAX_BYTES + " and an inline input; upload larger media with "
                    + "POST /v1/uploads");
        }
        JobSpec parsed = specParser.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), true,
                caller.tenant());
        bytes = null; // an inline input is decoded from the spec; the raw body need not stay reachable meanwhile
        String tenant = caller.tenant();
        return answer(parsed.input() != null ? submissions.submitInline(tenant, parsed, idempotencyKey)
                : submissions.submitUploaded(tenant, parsed, idempotencyKey), headers, uri);
    }

    @GET
    @Operation(summary = "List jobs, newest first",
            description = "Filters: status, queue, label=key:value (repeatable, all must match), created_after, "
                    + "created_before (ISO-8601). Pages: limit (1-100, default 20) and the next_cursor of the last page.")
    public JobPage list(@RestQuery String status, @RestQuery String queue, @RestQuery("label") List<String> labels,
            @RestQuery("created_after") String createdAfter, @RestQuery("created_before") String createdBefore,
            @RestQuery Integer limit, @RestQuery String cursor) {
        if (status != null && !JobRow.TERMINAL.contains(status) && !status.equals("queued") && !status.equals("running")) {
            throw invalidQuery("status", "must be one of queued, running, succeeded, failed, canceled");
        }
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw invalidQuery("limit", "must be between 1 and " + MAX_LIMIT);
        }
        Map<String, String> labelFilter = new LinkedHashMap<>();
        for (String label : labels == null ? List.<String>of() : labels) {
            int colon = label.indexOf(':');
            if (colon <= 0) {
                throw invalidQuery("label", "must be key:value, e.g. label=customer:acme");
            }
            labelFilter.put(label.substring(0, colon), label.substring(colon + 1));
        }
        // Filters reach the database: the rules of the labels a job may have.
        ClientText.labels(labelFilter).stream().findFirst().ifPresent(v -> {
            throw invalidQuery("label", v.field() + " " + v.message());
        });
        if (queue != null && ClientText.problem(queue, 64) != null) {
            throw invalidQuery("queue", ClientText.problem(queue, 64));
        }
        JobQuery query = new JobQuery(status, queue, labelFilter, instant("created_after", createdAfter),
                instant("created_before", createdBefore), cursor == null || cursor.isEmpty() ? null : ListCursor.decode(cursor));
        List<JobRow> rows = readModel.list(caller.tenant(), query, size + 1);
        boolean more = rows.size() > size;
        List<JobRow> page = more ? rows.subList(0, size) : rows;
        JobRow last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new JobPage(page.stream().map(r -> JobReadModel.document(r, null)).toList(),
                more ? new ListCursor(last.createdAt(), last.id()).encode() : null);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A job: status, progress, outputs with their files, input metadata, webhook deliveries")
    public JobDocument get(@PathParam("id") String id) {
        UUID jobId = parseId(id);
        JobRow job = commands.find(caller.tenant(), jobId);
        return JobReadModel.document(job, job.webhookUrl() == null ? null : readModel.deliveries(caller.tenant(), jobId));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Cancel a queued or running job", description = "409 job_finished once it is terminal.")
    public Response cancel(@PathParam("id") String id) {
        JobRow job = commands.cancel(caller.tenant(), parseId(id));
        return Response.accepted(JobReadModel.document(job, null)).build();
    }

    @POST
    @Path("/{id}/retry")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Retry a failed or canceled job",
            description = "Re-runs the outputs that did not succeed, or every output with {\"all\": true}.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RetryRequest.class)))
    public Response retry(@PathParam("id") String id, String body) {
        boolean all = false;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode node = json.readTree(body);
                all = node != null && node.path("all").asBoolean(false);
            } catch (IOException e) {
                throw new ApiException(400, "invalid_request", "Invalid request", "The body must be {\"all\": true|false}");
            }
        }
        JobRow job = commands.retry(caller.tenant(), parseId(id), all);
        return Response.accepted(JobReadModel.document(job, null)).build();
    }

    @POST
    @Path("/{id}/webhook/redeliver")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Deliver the job's latest webhook notification again")
    public Response redeliver(@PathParam("id") String id) {
        UUID jobId = parseId(id);
        commands.find(caller.tenant(), jobId);
        Long delivery = readModel.redeliver(caller.tenant(), jobId);
        if (delivery == null) {
            throw new ApiException(404, "no_webhook_deliveries", "No webhook deliveries",
                    "Job " + id + " has no webhook notifications to deliver again");
        }
        return Response.accepted(readModel.deliveries(caller.tenant(), jobId).stream()
                .filter(d -> d.id() == delivery).findFirst().orElseThrow()).build();
    }

    static final String WAIT_DOC = "wait=N (RFC 7240): answer 200 with the finished job (succeeded, failed or "
            + "canceled) if it ends within N seconds, at most framewright.limits.max-wait (30 s; more is cut to it), "
            + "else the usual 202 after N seconds. Preference-Applied: wait=N says how long was waited.";

    /**
     * The 202 (or an idempotent replay's first answer); with {@code Prefer: wait=N}, the finished job (200) if the
     * read model shows it ended within N seconds. A replay waits too: a client that retries gets the answer it
     * waited for.
     */
    private Uni<Response> answer(JobSubmissionService.Accepted accepted, HttpHeaders headers, UriInfo uri) {
        java.net.URI location = uri.getBaseUriBuilder().path(OutputPaths.job(accepted.jobId())).build();
        long wait = waiter.seconds(headers.getRequestHeader("Prefer"));
        if (wait <= 0 || accepted.status() != 202) {
            return Uni.createFrom().item(respond(accepted, accepted.status(), accepted.body(), location, 0));
        }
        String tenant = caller.tenant(); // request-scoped: read on this thread
        return waiter.awaitEnd(tenant, accepted.jobId(), java.time.Duration.ofSeconds(wait))
                .onItem().transformToUni(ended -> !ended
                        ? Uni.createFrom().item(respond(accepted, accepted.status(), accepted.body(), location, wait))
                        // The finished document is read with JDBC: on a worker, for that one read only.
                        : Uni.createFrom().item(() -> respond(accepted, 200, finished(tenant, accepted.jobId()),
                                location, wait)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    private Object finished(String tenant, UUID jobId) {
        JobRow job = commands.find(tenant, jobId);
        return JobReadModel.document(job, job.webhookUrl() == null ? null : readModel.deliveries(tenant, jobId));
    }

    private static Response respond(JobSubmissionService.Accepted accepted, int status, Object body,
            java.net.URI location, long waited) {
        Response.ResponseBuilder response = Response.status(status).entity(body).type(MediaType.APPLICATION_JSON)
                .location(location);
        if (waited > 0) {
            response.header("Preference-Applied", "wait=" + waited);
        }
        return (accepted.replayed() ? response.header("Idempotent-Replayed", "true") : response).build();
    }

    private static void checkKey(String idempotencyKey) {
        if (idempotencyKey != null) {
            dev.framewright.api.idempotency.IdempotencyStore.checkKey(idempotencyKey);
        }
    }

    /**
     * A multipart file as the rest of the service may trust it: its content type a media type (else 400 naming
     * {@code <part>.content_type}), its file name cleaned by {@link ClientText#fileName} (the job document shows the
     * cleaned name).
     */
    private static JobSubmissionService.Part part(String name, FileUpload upload) {
        if (upload == null) {
            return null;
        }
        String contentType = upload.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM : upload.contentType();
        String problem = ClientText.contentTypeProblem(contentType);
        if (problem != null) {
            throw ApiException.invalidField(name + ".content_type", problem);
        }
        return new JobSubmissionService.Part(upload.uploadedFile(), ClientText.fileName(upload.fileName()),
                contentType);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw invalidQuery(name, "must be an ISO-8601 time with offset, e.g. 2025-01-31T12:00:00Z");
        }
    }

    private static ApiException invalidQuery(String parameter, String message) {
        return new ApiException(Problem.of(400, "invalid_query", "Invalid query", parameter + " " + message)
                .withErrors(List.of(new Problem.FieldError(parameter, message))));
    }

    static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Job " + id);
        }
    }
}
