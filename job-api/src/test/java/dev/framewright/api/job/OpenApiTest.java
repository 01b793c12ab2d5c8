package dev.framewright.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.framewright.api.testing.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class OpenApiTest {

    @Test
    void describesEveryEndpointAndServesSwaggerUi() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body(containsString("\"/v1/jobs/{id}/events\""))
                .body(containsString("\"/v1/jobs/{id}/outputs/{name}/{path}\""))
                .body(containsString("\"/v1/uploads\""))
                .body(containsString("\"/v1/uploads/{id}/parts\""))
                .body(containsString("\"/v1/uploads/{id}/complete\""))
                .body(containsString("\"part_count\""))
                .body(containsString("\"missing_parts\""))
                .body(containsString("\"/v1/templates/{name}\""))
                .body(containsString("\"template_version\""))
                .body(containsString("\"/v1/jobs/{id}/webhook/redeliver\""))
                .body(containsString("\"/v1/webhook-secrets\""))
                .body(containsString("\"max_duration_seconds\""))
                .body(containsString("\"next_cursor\""))
                .body(containsString("\"start_within_seconds\""))
                .body(containsString("\"base64\""))
                .body(containsString("\"Prefer\""))
                .body(org.hamcrest.Matchers.not(containsString("\"maxDurationSeconds\"")));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    /**
     * The document as a generated client reads it: every /v1 operation is secured by the bearer scheme and declares
     * the answers the filters in front of it give, each a problem document; Retry-After where a client should wait.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyOperationDeclaresItsSecurityAndItsProblemAnswers() {
        io.restassured.path.json.JsonPath doc = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        assertThat(doc.getString("components.securitySchemes.bearer.type")).isEqualTo("http");
        assertThat(doc.getString("components.securitySchemes.bearer.scheme")).isEqualTo("bearer");
        assertThat(doc.getMap("components.schemas.Problem.properties")).containsKeys("code", "title", "status",
                "detail", "errors");

        java.util.Map<String, java.util.Map<String, Object>> paths = doc.getMap("paths");
        int operations = 0;
        for (var path : paths.entrySet()) {
            if (!path.getKey().startsWith("/v1")) {
                continue;
            }
            for (var method : path.getValue().entrySet()) {
                if (!java.util.Set.of("get", "post", "put", "delete", "patch").contains(method.getKey())) {
                    continue;
                }
                operations++;
                String where = method.getKey() + " " + path.getKey();
                var op = (java.util.Map<String, Object>) method.getValue();
                assertThat((java.util.List<java.util.Map<String, Object>>) op.get("security")).as(where)
                        .anySatisfy(req -> assertThat(req).containsKey("bearer"));
                var responses = (java.util.Map<String, java.util.Map<String, Object>>) op.get("responses");
                assertThat(responses).as(where).containsKeys("401", "403", "429", "503");
                if (path.getKey().contains("{")) {
                    assertThat(responses).as(where).containsKey("404");
                }
                assertThat(responses.get("401").toString()).as(where).contains("application/problem+json")
                        .contains("#/components/schemas/Problem");
                assertThat(responses.get("429").toString()).as(where).contains("Retry-After");
                assertThat(responses.keySet()).as(where + " declares a success").anyMatch(s -> s.startsWith("2")
                        || s.startsWith("3"));
            }
        }
        assertThat(operations).as("operations under /v1").isGreaterThan(15);
        assertThat(paths).containsKeys("/v1/admin/tenants", "/v1/admin/tenants/{tenant}/keys", "/v1/admin/keys/{id}");
    }
}
