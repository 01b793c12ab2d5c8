package dev.framewright.api.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.api.job.JobSpec;
import dev.framewright.api.job.JobSpecParser;
import dev.framewright.api.job.JobSubmissionService;
import dev.framewright.api.problem.ApiException;
import dev.framewright.api.problem.Problem;
import dev.framewright.api.tenant.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code /v1/templates}: named, versioned job specs of a tenant. A job names one with {@code "template"} (and
 * optionally {@code "template_version"}) and gives its input and any top-level field to replace. A template's spec is
 * checked by {@link JobSpecParser#parseTemplate}, the rules of every job spec; another tenant's templates do not
 * exist.
 */
@Path("/v1/templates")
@Produces(MediaType.APPLICATION_JSON)
public class TemplateResource {

    /** A template's name: what the {@code job_templates.name} CHECK allows. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /**
     * @param name [a-z0-9][a-z0-9_-]{0,63}; a POST of an existing name adds its next version
     * @param spec a job spec without input: outputs, queue, labels, webhook, max_duration_seconds, retention_hours,
     *             start_within_seconds
     */
    public record TemplateRequest(String name, @Schema(implementation = JobSpec.class) Map<String, Object> spec) {
    }

    /** One version of a template. */
    public record TemplateDocument(String name, int version, JsonNode spec, Instant createdAt) {
    }

    public record TemplateList(List<TemplateDocument> templates) {
    }

    private final TemplateStore templates;
    private final JobSpecParser parser;
    private final JobSubmissionService submissions;
    private final Caller caller;
    private final ObjectMapper json;

    public TemplateResource(TemplateStore templates, JobSpecParser parser, JobSubmissionService submissions,
            Caller caller, ObjectMapper json) {
        this.templates = templates;
        this.parser = parser;
        this.submissions = submissions;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a template, or the next version of one",
            description = "{name, spec}: the spec is checked like a job's (400 invalid_spec, errors[] naming "
                    + "spec.<field>; 400 unknown_queue) and must not name an input or another template. 201 with "
                    + "the version created: 1 for a new name, then 2, 3, ...")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TemplateRequest.class)))
    public Response create(String body, UriInfo uri) {
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            throw ApiException.invalidField("body", "is not valid JSON");
        }
        if (request == null || !request.isObject()) {
            throw ApiException.invalidField("body", "must be {\"name\": ..., \"spec\": {...}}");
        }
        var unknown = new java.util.ArrayList<String>();
        request.fieldNames().forEachRemaining(f -> {
            if (!f.equals("name") && !f.equals("spec")) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiException.invalidField(unknown.get(0), "is not a known field; known: name, spec");
        }
        JsonNode name = request.get("name");
        if (name == null || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
            throw ApiException.invalidField("name", "must match " + NAME.pattern());
        }
        JsonNode spec = request.get("spec");
        if (spec == null || !spec.isObject()) {
            throw ApiException.invalidField("spec", "is required: a job spec without its input");
        }
        String specJson = spec.toString();
        try {
            JobSpec parsed = parser.parseTemplate(specJson);
            submissions.queue(parsed);
        } catch (ApiException e) {
            throw underSpec(e);
        }
        TemplateStore.Template created = templates.create(caller.tenant(), name.asText(), specJson);
        return Response.created(uri.getBaseUriBuilder().path("/v1/templates/{name}").queryParam("version",
                created.version()).build(created.name())).entity(document(created)).build();
    }

    @GET
    @Operation(summary = "The tenant's templates, the latest version of each, by name")
    public TemplateList list() {
        return new TemplateList(templates.latest(caller.tenant()).stream().map(this::document).toList());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "A template: its latest version, or ?version=N")
    public TemplateDocument get(@PathParam("name") String name, @RestQuery Integer version) {
        TemplateStore.Template template = NAME.matcher(name).matches()
                ? templates.find(caller.tenant(), name, version) : null;
        if (template == null) {
            throw ApiException.notFound("Template " + name + (version == null ? "" : " version " + version));
        }
        return document(template);
    }

    private TemplateDocument document(TemplateStore.Template template) {
        try {
            return new TemplateDocument(template.name(), template.version(), json.readTree(template.spec()),
                    template.createdAt());
        } catch (IOException e) {
            throw new IllegalStateException("Template " + template.name() + " is not JSON", e);
        }
    }

    /** The same problem, its fields named as the client wrote them: inside {@code spec}. */
    private static ApiException underSpec(ApiException e) {
        Problem p = e.problem();
        if (p.errors() == null) {
            return e;
        }
        List<Problem.FieldError> errors = p.errors().stream()
                .map(f -> new Problem.FieldError(f.field().equals("spec") ? "spec" : "spec." + f.field(), f.message()))
                .toList();
        String detail = p.code().equals("invalid_spec") ? errors.stream().map(f -> f.field() + ": " + f.message())
                .collect(java.util.stream.Collectors.joining("; ")) : p.detail();
        return new ApiException(new Problem(p.type(), p.title(), p.status(), detail, p.code(), p.instance(), errors));
    }
}
