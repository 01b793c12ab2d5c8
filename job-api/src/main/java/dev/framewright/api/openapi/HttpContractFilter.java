package dev.framewright.api.openapi;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * What every {@code /v1} operation shares, added to the generated document in one place instead of on each resource
 * method: the bearer security scheme (Swagger UI's "Authorize" takes an API key), the problem schema, and the answers
 * the filters in front of every operation can give (401, 403 {@code insufficient_scope}, 429 {@code rate_limited} and
 * 503 {@code auth_unavailable} with {@code Retry-After}; 404 where the path names a resource).
 */
public class HttpContractFilter implements OASFilter {

    static final String BEARER = "bearer";
    static final String PROBLEM = "Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents()
                : openAPI.getComponents();
        openAPI.setComponents(components);
        components.addSecurityScheme(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").description("An API key: Authorization: Bearer fw_<hint>_<random>. Its scope "
                        + "(read, submit, admin) decides what it may do (docs/auth-and-limits.md)."));
        components.addSchema(PROBLEM, problemSchema());
        components.addHeader("Retry-After", OASFactory.createHeader()
                .description("Seconds to wait before trying again").schema(OASFactory.createSchema()
                        .addType(Schema.SchemaType.INTEGER)));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (!path.startsWith("/v1")) {
                return;
            }
            operations(item).forEach(op -> {
                op.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(BEARER)));
                APIResponses responses = op.getResponses() == null ? OASFactory.createAPIResponses()
                        : op.getResponses();
                op.setResponses(responses);
                add(responses, "401", "No, a malformed, an unknown or a revoked API key (unauthorized)", false);
                add(responses, "403", "The key's scope does not allow this request (insufficient_scope)", false);
                add(responses, "429", "Over the tenant's request rate (rate_limited), or another cap of the "
                        + "operation", true);
                add(responses, "503", "API keys cannot be checked (auth_unavailable), or the platform is "
                        + "overloaded", true);
                if (path.contains("{")) {
                    add(responses, "404", "No such resource of the caller's tenant", false);
                }
            });
        });
    }

    private static void add(APIResponses responses, String status, String description, boolean retryAfter) {
        if (responses.hasAPIResponse(status)) {
            return;
        }
        APIResponse response = OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/problem+json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema()
                                .ref("#/components/schemas/" + PROBLEM))));
        if (retryAfter) {
            response.addHeader("Retry-After", OASFactory.createHeader().ref("#/components/headers/Retry-After"));
        }
        responses.addAPIResponse(status, response);
    }

    private static List<Operation> operations(PathItem item) {
        return item.getOperations() == null ? List.of() : List.copyOf(item.getOperations().values());
    }

    /** RFC 9457 problem details as {@code dev.framewright.api.problem.Problem} writes them. */
    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .properties(Map.of("field", string, "message", string));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("application/problem+json; switch on code, the stable reason")
                .required(List.of("status", "code", "title"))
                .properties(Map.of(
                        "type", string,
                        "title", string,
                        "status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER),
                        "detail", string,
                        "code", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                                .description("e.g. invalid_spec, unauthorized, insufficient_scope, rate_limited"),
                        "instance", string,
                        "errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError)));
    }
}
