package dev.framewright.api.problem;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into {@code application/problem+json}; nothing internal (class names, traces) leaks. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        var errors = Violations.fieldErrors(e.getConstraintViolations()).stream()
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.message())
                .collect(java.util.stream.Collectors.joining("; "));
        return respond(Problem.of(400, "invalid_spec", "Invalid job spec", detail).withErrors(errors));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return respond(switch (status) {
            case 404 -> Problem.of(404, "not_found", "Not found", "No such resource");
            case 405 -> Problem.of(405, "method_not_allowed", "Method not allowed", e.getMessage());
            case 406 -> Problem.of(406, "not_acceptable", "Not acceptable", e.getMessage());
            case 413 -> Problem.of(413, "payload_too_large", "Payload too large", e.getMessage());
            case 415 -> Problem.of(415, "unsupported_media_type", "Unsupported media type", e.getMessage());
            default -> status < 500
                    ? Problem.of(status, "bad_request", "Bad request", e.getMessage())
                    : unexpected(e);
        });
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response any(Throwable e) {
        return respond(unexpected(e));
    }

    private static Problem unexpected(Throwable e) {
        LOG.error("Unexpected error", e);
        return Problem.of(500, "internal", "Internal error", "Something went wrong on our side; it was logged");
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
