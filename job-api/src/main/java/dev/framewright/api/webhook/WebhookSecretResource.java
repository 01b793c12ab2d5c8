package dev.framewright.api.webhook;

import dev.framewright.api.problem.ApiException;
import dev.framewright.api.tenant.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code /v1/webhook-secrets}: the caller's tenant's webhook signing secret. {@code POST} creates or rotates it and
 * is the only answer that ever shows it; {@code GET} tells which one is current (id, the first characters) and how
 * long the previous one still signs.
 */
@Path("/v1/webhook-secrets")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookSecretResource {

    /** The rotated-out secret, while deliveries are still signed with it. */
    public record Previous(String id, String prefix, Instant expiresAt) {
    }

    /** {@code secret} only in the answer to {@code POST}. */
    public record SecretDocument(String id, String prefix, Instant createdAt, Previous previous, String secret) {
        static SecretDocument of(WebhookSecretStore.Description d, String secret) {
            Previous previous = d.previousId() == null ? null
                    : new Previous(d.previousId(), d.previousPrefix(), d.previousExpiresAt());
            return new SecretDocument(d.id(), d.prefix(), d.createdAt(), previous, secret);
        }
    }

    private final WebhookSecretStore store;
    private final WebhookSecretsConfig config;
    private final Caller caller;

    public WebhookSecretResource(WebhookSecretStore store, WebhookSecretsConfig config, Caller caller) {
        this.store = store;
        this.config = config;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Create or rotate the webhook signing secret",
            description = "201 with the new secret, shown only this once. Deliveries are signed with it from now on, "
                    + "and with the previous one too (a second v1 in Framewright-Signature) for "
                    + "framewright.webhooks.rotation-overlap (24 h), or not at all with expire_previous=true (a leaked "
                    + "secret).")
    public Uni<Response> rotate(@RestQuery("expire_previous") String expirePrevious) {
        boolean expire;
        if (expirePrevious == null || expirePrevious.equals("false")) {
            expire = false;
        } else if (expirePrevious.equals("true")) {
            expire = true;
        } else {
            throw new ApiException(400, "invalid_query", "Invalid query",
                    "expire_previous must be true or false");
        }
        String tenant = caller.tenant();
        return store.rotate(tenant, expire ? Duration.ZERO : config.rotationOverlap())
                .map(created -> Response.status(201)
                        .header("Cache-Control", "no-store")
                        .entity(SecretDocument.of(created.description(), created.secret()))
                        .build());
    }

    @GET
    @Operation(summary = "Which webhook signing secret is current",
            description = "Never the secret itself. 404 webhook_secret_not_found until the tenant created one.")
    public Uni<SecretDocument> current() {
        return store.find(caller.tenant()).map(found -> found.map(d -> SecretDocument.of(d, null))
                .orElseThrow(() -> new ApiException(404, "webhook_secret_not_found", "No webhook secret",
                        "This tenant has no webhook signing secret yet: POST /v1/webhook-secrets creates one")));
    }
}
