package dev.framewright.api.limits;

import dev.framewright.api.problem.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers {@link RetryLaterException} as a problem with {@code Retry-After}. */
public class RetryLaterMapper {

    @ServerExceptionMapper
    public Response retryLater(RetryLaterException e) {
        return response(e);
    }

    public static Response response(RetryLaterException e) {
        return Response.status(e.problem().status()).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .entity(e.problem()).build();
    }
}
