package dev.framewright.api.admin;

import dev.framewright.api.problem.ApiException;
import dev.framewright.api.problem.Problem;
import dev.framewright.api.tenant.ApiKeyStore;
import dev.framewright.api.tenant.ApiKeyStore.KeyInfo;
import dev.framewright.api.tenant.ApiKeyStore.TenantInfo;
import dev.framewright.api.tenant.ApiKeys;
import dev.framewright.api.tenant.Authenticator;
import dev.framewright.api.tenant.Scope;
import dev.framewright.api.tenant.TenantLimits;
import dev.framewright.events.rules.ClientText;
import dev.framewright.events.rules.ObjectKeys;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;

/**
 * {@code /v1/admin}: tenants, their limits and their API keys, for operators holding an {@code admin} key (the
 * {@code AuthFilter} refuses every other key with 403 {@code insufficient_scope}). No routine task needs SQL.
 */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Tenants and API keys (scope admin)")
public class AdminResource {

    private static final Logger LOG = Logger.getLogger(AdminResource.class);
    private static final int MAX_NAME = 200;

    /** Limit overrides; a null field means the deployment's {@code framewright.limits.*} value. */
    public record Limits(Integer requestsPerSecond, Integer burst, Integer maxQueuedJobs) {

        TenantLimits validated() {
            List<Problem.FieldError> errors = new ArrayList<>();
            positive(errors, "limits.requests_per_second", requestsPerSecond, 1);
            positive(errors, "limits.burst", burst, 1);
            positive(errors, "limits.max_queued_jobs", maxQueuedJobs, 0);
            if (!errors.isEmpty()) {
                throw invalid(errors);
            }
            return new TenantLimits(requestsPerSecond, burst, maxQueuedJobs);
        }

        static Limits of(TenantLimits l) {
            return new Limits(l.requestsPerSecond(), l.burst(), l.maxQueuedJobs());
        }
    }

    public record NewTenant(String id, String name, Limits limits) {
    }

    public record TenantDocument(String id, String name, Instant createdAt, Limits limits, long activeKeys) {

        static TenantDocument of(TenantInfo t) {
            return new TenantDocument(t.id(), t.name(), t.createdAt(), Limits.of(t.limits()), t.activeKeys());
        }
    }

    public record NewKey(String name, String scope) {
    }

    /** {@code key} only in the answer to its creation. */
    public record KeyDocument(UUID id, String tenant, String name, String scope, Instant createdAt,
            Instant lastUsedAt, Instant revokedAt, String key) {

        static KeyDocument of(KeyInfo k, String key) {
            return new KeyDocument(k.id(), k.tenant(), k.name(), k.scope().wireName(), k.createdAt(), k.lastUsedAt(),
                    k.revokedAt(), key);
        }
    }

    private final ApiKeyStore store;
    private final Authenticator authenticator;

    public AdminResource(ApiKeyStore store, Authenticator authenticator) {
        this.store = store;
        this.authenticator = authenticator;
    }

    @GET
    @Path("/tenants")
    @Operation(summary = "Every tenant with its limit overrides and number of active keys")
    public Uni<List<TenantDocument>> tenants() {
        return store.tenants().map(all -> all.stream().map(TenantDocument::of).toList());
    }

    @POST
    @Path("/tenants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a tenant", description = "201 with the tenant; 409 tenant_exists when the id is taken. "
            + "The id becomes a path segment of storage keys: [a-z0-9][a-z0-9_-]{0,62}.")
    public Uni<Response> createTenant(NewTenant body, UriInfo uri) {
        if (body == null) {
            throw invalid(List.of(new Problem.FieldError("body", "is required")));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (body.id() == null || !ObjectKeys.TENANT.matcher(body.id()).matches()) {
            errors.add(new Problem.FieldError("id", "must match [a-z0-9][a-z0-9_-]{0,62}"));
        }
        String name = body.name() == null ? body.id() : body.name();
        name(errors, name);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        TenantLimits limits = body.limits() == null ? TenantLimits.NONE : body.limits().validated();
        return store.createTenant(body.id(), name, limits).chain(created -> {
            if (!created) {
                throw ApiException.conflict("tenant_exists", "Tenant exists", "Tenant '" + body.id() + "' exists");
            }
            LOG.infof("Tenant '%s' created", body.id());
            return store.tenant(body.id());
        }).map(t -> Response.created(uri.getAbsolutePathBuilder().path(body.id()).build())
                .entity(TenantDocument.of(t.orElseThrow())).build());
    }

    @GET
    @Path("/tenants/{tenant}")
    @Operation(summary = "One tenant")
    public Uni<TenantDocument> tenant(@RestPath String tenant) {
        return store.tenant(tenant).map(t -> TenantDocument.of(t.orElseThrow(() -> tenantNotFound(tenant))));
    }

    @PUT
    @Path("/tenants/{tenant}/limits")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the tenant's limit overrides",
            description = "A null or missing field goes back to the deployment's default. Takes effect on every "
                    + "instance within framewright.auth.cache-ttl, on this one at once.")
    public Uni<TenantDocument> setLimits(@RestPath String tenant, Limits body) {
        TenantLimits limits = body == null ? TenantLimits.NONE : body.validated();
        return store.updateTenant(tenant, null, limits).map(t -> {
            authenticator.forgetTenant(tenant);
            return TenantDocument.of(t.orElseThrow(() -> tenantNotFound(tenant)));
        });
    }

    @GET
    @Path("/tenants/{tenant}/keys")
    @Operation(summary = "The tenant's API keys, newest first", description = "Never the keys themselves.")
    public Uni<List<KeyDocument>> keys(@RestPath String tenant) {
        return store.tenant(tenant).chain(t -> {
            t.orElseThrow(() -> tenantNotFound(tenant));
            return store.keys(tenant);
        }).map(all -> all.stream().map(k -> KeyDocument.of(k, null)).toList());
    }

    @POST
    @Path("/tenants/{tenant}/keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key for the tenant",
            description = "201 with the key, shown only this once (only its SHA-256 is stored). scope: read, submit "
                    + "(the default) or admin.")
    public Uni<Response> createKey(@RestPath String tenant, NewKey body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = body == null || body.name() == null ? "unnamed" : body.name();
        name(errors, name);
        Scope scope = Scope.SUBMIT;
        if (body != null && body.scope() != null) {
            try {
                scope = Scope.fromWire(body.scope());
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("scope", "must be read, submit or admin"));
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        Scope granted = scope;
        String key = ApiKeys.generate(tenant);
        return store.tenant(tenant).chain(t -> {
            t.orElseThrow(() -> tenantNotFound(tenant));
            return store.createKey(tenant, ApiKeys.hash(key), name, granted);
        }).map(created -> {
            LOG.infof("API key %s (%s) created for tenant '%s'", created.id(), granted.wireName(), tenant);
            return Response.status(201).header("Cache-Control", "no-store").entity(KeyDocument.of(created, key))
                    .build();
        });
    }

    @DELETE
    @Path("/keys/{id}")
    @Operation(summary = "Revoke an API key",
            description = "Refused by every job-api instance at once (a database notification clears their caches). "
                    + "Revoking a revoked key changes nothing. 404 key_not_found.")
    public Uni<KeyDocument> revoke(@RestPath String id) {
        UUID keyId;
        try {
            keyId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw keyNotFound(id);
        }
        return store.revoke(keyId).map(k -> {
            KeyInfo revoked = k.orElseThrow(() -> keyNotFound(id));
            LOG.infof("API key %s of tenant '%s' revoked", revoked.id(), revoked.tenant());
            return KeyDocument.of(revoked, null);
        });
    }

    private static void name(List<Problem.FieldError> errors, String name) {
        String problem = name == null || name.isBlank() ? "must not be blank" : ClientText.problem(name, MAX_NAME);
        if (problem != null) {
            errors.add(new Problem.FieldError("name", problem));
        }
    }

    private static void positive(List<Problem.FieldError> errors, String field, Integer value, int min) {
        if (value != null && value < min) {
            errors.add(new Problem.FieldError(field, "must be at least " + min));
        }
    }

    private static ApiException invalid(List<Problem.FieldError> errors) {
        String detail = errors.stream().map(f -> f.field() + ": " + f.message())
                .collect(java.util.stream.Collectors.joining("; "));
        return new ApiException(Problem.of(400, "invalid_request", "Invalid request", detail).withErrors(errors));
    }

    private static ApiException tenantNotFound(String tenant) {
        return new ApiException(404, "tenant_not_found", "No such tenant", "Tenant '" + tenant + "' does not exist");
    }

    private static ApiException keyNotFound(String id) {
        return new ApiException(404, "key_not_found", "No such key", "API key " + id + " does not exist");
    }
}
