package dev.framewright.api.upload;

import dev.framewright.api.problem.Problem;
import dev.framewright.api.problem.ProblemMetrics;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Over-limit bodies answer a problem, not Vert.x's bare 413: a declared {@code Content-Length} above
 * {@code framewright.uploads.max-bytes} is refused before any byte is read. A chunked body that outgrows
 * {@code quarkus.http.limits.max-body-size} is still cut off by Quarkus REST itself (VertxInputStream), which
 * writes an empty 413 and closes the connection; there is no hook to give that one a body.
 */
@ApplicationScoped
public class BodyLimit {

    private final UploadConfig config;
    private final ProblemMetrics metrics;

    public BodyLimit(UploadConfig config, ProblemMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    void install(@Observes Router router) {
        // Before Quarkus' own body handler and upload-limit routes.
        router.route().order(Integer.MIN_VALUE).handler(this::checkDeclaredLength);
    }

    private void checkDeclaredLength(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > config.maxBytes()) {
                    tooLarge(context);
                    return;
                }
            } catch (NumberFormatException e) {
                // Not ours to judge; Vert.x answers 400 for a malformed length.
            }
        }
        context.next();
    }

    private void tooLarge(RoutingContext context) {
        Problem problem = UploadPolicy.tooLarge(config.maxBytes()).problem();
        metrics.count(problem);
        JsonObject body = new JsonObject().put("type", problem.type()).put("title", problem.title())
                .put("status", problem.status()).put("detail", problem.detail()).put("code", problem.code());
        // The unread body would otherwise be parsed as the next request on this connection.
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body.encode());
    }
}
