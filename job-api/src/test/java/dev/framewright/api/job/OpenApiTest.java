package dev.framewright.api.job;

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
}
