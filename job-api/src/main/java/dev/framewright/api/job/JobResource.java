package dev.framewright.api.job;

import dev.framewright.api.problem.ApiException;
import dev.framewright.api.problem.Problem;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.events.JobRequested;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** {@code /v1/jobs}: submit a job, read its status, download its outputs. */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final JobSubmissionService submissions;
    private final JobSpecParser specParser;
    private final JobReadModel readModel;
    private final MediaStore store;

    public JobResource(JobSubmissionService submissions, JobSpecParser specParser, JobReadModel readModel,
            MediaStore store) {
        this.submissions = submissions;
        this.specParser = specParser;
        this.readModel = readModel;
        this.store = store;
    }

    static String jobPath(UUID id) {
        return "/v1/jobs/" + id;
    }

    static String outputPath(UUID id, String name) {
        return jobPath(id) + "/outputs/" + name;
    }

    /** Multipart: {@code file} (the media) and {@code spec} (JSON). Runs on a worker thread: it uploads and waits for Kafka. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response submit(@RestForm("file") FileUpload file, @RestForm("spec") String spec, UriInfo uri) {
        JobSpec parsed = specParser.parse(spec);
        if (file == null) {
            throw new ApiException(400, "missing_file", "Missing file", "Send the media as the multipart part 'file'");
        }
        String contentType = file.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM : file.contentType();
        JobRequested requested = submissions.submit(parsed, file.uploadedFile(), file.fileName(), contentType);
        JobDocument accepted = new JobDocument(requested.jobId(), "queued", new JobDocument.Progress(0, "queued"), 0,
                requested.time(), null, null,
                new JobDocument.Input(requested.input().filename(), contentType, requested.input().size(), null),
                requested.outputs().stream().map(o -> new JobDocument.Output(o.name(), o.type().wireName(), "queued",
                        o.width(), o.height(), o.atSeconds(), java.util.List.of(), null, null)).toList(),
                null);
        URI location = uri.getBaseUriBuilder().path(jobPath(requested.jobId())).build();
        return Response.accepted(accepted).location(location).build();
    }

    @GET
    @Path("/{id}")
    public Uni<JobDocument> get(@PathParam("id") String id) {
        UUID jobId = parseId(id);
        return readModel.find(jobId).onItem().ifNull().failWith(() -> ApiException.notFound("Job " + id));
    }

    /**
     * Streams the output's file; a single {@code Range} is honoured (206), so players can seek. Blocking (worker
     * thread): it reads from the object store.
     */
    @GET
    @Path("/{id}/outputs/{name}")
    @Produces(MediaType.WILDCARD)
    public Response output(@PathParam("id") String id, @PathParam("name") String name,
            @HeaderParam("Range") String rangeHeader) {
        UUID jobId = parseId(id);
        JobDocument job = readModel.find(jobId).await().atMost(java.time.Duration.ofSeconds(5));
        if (job == null) {
            throw ApiException.notFound("Job " + id);
        }
        JobDocument.Output output = job.outputs().stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("Output '" + name + "' of job " + id));
        if (!"succeeded".equals(output.status()) || output.files().isEmpty()) {
            throw new ApiException(409, "output_not_ready", "Output not ready",
                    "Output '" + name + "' is " + output.status() + "; it can be downloaded once it succeeded");
        }
        JobDocument.File file = output.files().get(0);
        ByteRange range = ByteRange.parse(rangeHeader, file.size());
        if (range == ByteRange.UNSATISFIABLE) {
            // Answered here rather than thrown: a 416 must say the file's size in Content-Range.
            return Response.status(416).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(416, "range_not_satisfiable", "Range not satisfiable",
                            "The file has " + file.size() + " bytes; ask for a range inside them"))
                    .header("Content-Range", "bytes */" + file.size())
                    .build();
        }
        var stream = store.open(file.key(), range == null ? null : range.header());
        if (stream == null) {
            throw new ApiException(410, "output_gone", "Output gone", "The file of output '" + name + "' was deleted");
        }
        String filename = file.key().substring(file.key().lastIndexOf('/') + 1);
        Response.ResponseBuilder response = range == null
                ? Response.ok(stream, file.contentType()).header("Content-Length", file.size())
                : Response.status(206).entity(stream).type(file.contentType())
                        .header("Content-Length", range.length())
                        .header("Content-Range", range.contentRange(file.size()));
        return response.header("Accept-Ranges", "bytes")
                .header("Content-Disposition", "inline; filename=\"" + filename + "\"")
                .build();
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Job " + id);
        }
    }
}
