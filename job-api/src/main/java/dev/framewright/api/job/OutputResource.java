package dev.framewright.api.job;

import dev.framewright.api.problem.ApiException;
import dev.framewright.api.problem.Problem;
import dev.framewright.api.storage.MediaStore;
import dev.framewright.api.tenant.Caller;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputManifest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Serves output files: {@code .../outputs/{name}} is the output's main file, {@code .../outputs/{name}/{path}} any of
 * its files. Files keep their relative paths, so an HLS ladder plays straight from these URLs. Only files the job
 * produced are served: those the read model lists, and, for an output with more files than its terminal event
 * lists, those of its manifest ({@code .../outputs/{name}/_files.json} lists them all). A client never names an
 * object key.
 */
@Path("/v1/jobs/{id}/outputs")
public class OutputResource {

    private final JobCommands jobs;
    private final MediaStore store;
    private final OutputManifests manifests;
    private final Caller caller;
    private final long redirectAbove;
    private final Duration presignedTtl;

    public OutputResource(JobCommands jobs, MediaStore store, OutputManifests manifests, Caller caller,
            @ConfigProperty(name = "framewright.outputs.redirect-above-bytes") long redirectAbove,
            @ConfigProperty(name = "framewright.outputs.presigned-ttl") Duration presignedTtl) {
        this.jobs = jobs;
        this.store = store;
        this.manifests = manifests;
        this.caller = caller;
        this.redirectAbove = redirectAbove;
        this.presignedTtl = presignedTtl;
    }

    @GET
    @Path("/{name}")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "Download an output's main file (HTTP ranges supported; ?redirect=true for a presigned URL)")
    public Response main(@PathParam("id") String id, @PathParam("name") String name,
            @HeaderParam("Range") String range, @RestQuery boolean redirect) {
        return serve(id, name, null, range, redirect);
    }

    @GET
    @Path("/{name}/{path: .+}")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "Download one file of an output, by its path in the output (e.g. 720p/index.m3u8)")
    public Response file(@PathParam("id") String id, @PathParam("name") String name, @PathParam("path") String path,
            @HeaderParam("Range") String range, @RestQuery boolean redirect) {
        return serve(id, name, path, range, redirect);
    }

    /** Every file of an output ({@code .../outputs/{name}/_files.json}), as the job document lists files. */
    public record FileList(UUID jobId, String output, List<JobDocument.File> files) {
    }

    private Response serve(String id, String name, String path, String rangeHeader, boolean redirect) {
        UUID jobId = JobResource.parseId(id);
        JobRow job = jobs.find(caller.tenant(), jobId);
        if (job.expired()) {
            throw new ApiException(410, "expired", "Expired",
                    "Job " + id + " passed its retention; its outputs were deleted");
        }
        StoredOutput output = job.outputs().stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("Output '" + name + "' of job " + id));
        if (!output.succeeded()) {
            throw ApiException.conflict("output_not_ready", "Output not ready",
                    "Output '" + name + "' is " + output.status() + "; it can be downloaded once it succeeded");
        }
        OutputFile file = path == null ? OutputPaths.mainFile(output)
                : output.files().stream().filter(f -> f.path().equals(path)).findFirst().orElse(null);
        if (file == null && path != null && output.manifest() != null && OutputManifest.isSafePath(path)) {
            Map<String, OutputFile> all = manifests.files(jobId, output).orElseThrow(() -> new ApiException(410,
                    "output_gone", "Output gone", "The files of output '" + name + "' were deleted"));
            if (path.equals(OutputManifest.FILE)) {
                return Response.ok(new FileList(jobId, name, all.values().stream()
                        .map(f -> new JobDocument.File(f.path(), f.size(), f.contentType(),
                                OutputPaths.file(jobId, name, f.path())))
                        .toList()), MediaType.APPLICATION_JSON).header("Cache-Control", "private, max-age=60").build();
            }
            file = all.get(path);
        }
        if (file == null) {
            throw ApiException.notFound("File '" + path + "' of output '" + name + "'");
        }
        if (redirect || (redirectAbove >= 0 && file.size() > redirectAbove)) {
            return Response.temporaryRedirect(store.presignGet(file.key(), file.contentType(), presignedTtl))
                    .header("Cache-Control", "no-store").build();
        }
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
            throw new ApiException(410, "output_gone", "Output gone",
                    "The file '" + file.path() + "' of output '" + name + "' was deleted");
        }
        String filename = file.path().substring(file.path().lastIndexOf('/') + 1);
        Response.ResponseBuilder response = range == null
                ? Response.ok(stream, file.contentType()).header("Content-Length", file.size())
                : Response.status(206).entity(stream).type(file.contentType())
                        .header("Content-Length", range.length())
                        .header("Content-Range", range.contentRange(file.size()));
        return response.header("Accept-Ranges", "bytes")
                .header("Content-Disposition", "inline; filename=\"" + filename + "\"")
                .build();
    }
}
