package dev.framewright.api.tenant;

import dev.framewright.api.limits.RateLimiter;
import dev.framewright.api.limits.RetryLaterException;
import dev.framewright.api.limits.RetryLaterMapper;
import dev.framewright.api.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /v1} request by its {@code Authorization: Bearer <key>} header, fills {@link Caller},
 * then applies the tenant's request rate limit. {@code /q/*} (health, OpenAPI) and static files are not served by
 * Quarkus REST and never reach this filter.
 */
public class AuthFilter {

    private static final Logger LOG = Logger.getLogger(AuthFilter.class);
    private static final String BEARER = "bearer ";

    private final Authenticator authenticator;
    private final RateLimiter rateLimiter;
    private final Caller caller;

    public AuthFilter(Authenticator authenticator, RateLimiter rateLimiter, Caller caller) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.caller = caller;
    }

    /** Before matching, so an unknown /v1 path answers 401 rather than telling a stranger what exists. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        if (!isApi(request.getUriInfo().getPath())) {
            return Uni.createFrom().nullItem();
        }
        String key = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (key == null) {
            return Uni.createFrom().item(unauthorized("Send an API key as 'Authorization: Bearer <key>'"));
        }
        return authenticator.authenticate(key)
                .map(principal -> {
                    if (principal.isEmpty()) {
                        return unauthorized("The API key is unknown or revoked");
                    }
                    Scope needed = Scope.required(request.getMethod(), request.getUriInfo().getPath());
                    if (!principal.get().scope().allows(needed)) {
                        return forbidden(principal.get().scope(), needed);
                    }
                    caller.authenticate(principal.get().tenant());
                    try {
                        rateLimiter.acquire(principal.get().tenant(), principal.get().limits());
                    } catch (RetryLaterException e) {
                        return RetryLaterMapper.response(e);
                    }
                    return (Response) null;
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.error("Could not check an API key", e);
                    return problem(Problem.of(503, "auth_unavailable", "Authentication unavailable",
                            "API keys cannot be checked right now; retry later"), "5");
                });
    }

    /**
     * Fails closed: a request that reached a resource without passing {@link #authenticate} (a path spelled so the
     * pre-matching check missed it) is refused.
     */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 1)
    public Response requireAuthenticated(ContainerRequestContext request) {
        return caller.authenticated() ? null : unauthorized("Send an API key as 'Authorization: Bearer <key>'");
    }

    static boolean isApi(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        while (p.startsWith("//")) {
            p = p.substring(1);
        }
        return p.equals("/v1") || p.startsWith("/v1/");
    }

    static String bearer(String header) {
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String key = header.substring(BEARER.length()).trim();
        return key.isEmpty() ? null : key;
    }

    private static Response unauthorized(String detail) {
        return Response.status(401).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"framewright\"")
                .entity(Problem.of(401, "unauthorized", "Unauthorized", detail)).build();
    }

    private static Response forbidden(Scope has, Scope needed) {
        return Response.status(403).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"framewright\", error=\"insufficient_scope\", scope=\""
                        + needed.wireName() + "\"")
                .entity(Problem.of(403, "insufficient_scope", "Insufficient scope", "This key's scope is '"
                        + has.wireName() + "'; this request needs '" + needed.wireName() + "'"))
                .build();
    }

    private static Response problem(Problem problem, String retryAfter) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.RETRY_AFTER, retryAfter).entity(problem).build();
    }
}
