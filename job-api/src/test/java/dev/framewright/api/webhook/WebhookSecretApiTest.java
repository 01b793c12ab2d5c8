package dev.framewright.api.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.webhook.SecretBox;
import dev.framewright.events.webhook.WebhookSecrets;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class WebhookSecretApiTest {

    @Inject
    Pool pool;

    @ConfigProperty(name = "framewright.webhooks.secret-key")
    String secretKey;

    private Row stored(String tenant) {
        return pool.preparedQuery("SELECT * FROM webhook_secrets WHERE tenant = $1").execute(Tuple.of(tenant))
                .await().atMost(Duration.ofSeconds(10)).iterator().next();
    }

    /** The SQL the projector signs with, and the key it opens them with. */
    private java.util.List<String> signingSecrets(String tenant) {
        Row row = pool.preparedQuery(WebhookSecrets.FOR_SIGNING).execute(Tuple.of(tenant))
                .await().atMost(Duration.ofSeconds(10)).iterator().next();
        return WebhookSecrets.open(SecretBox.of(secretKey), tenant, row.getBuffer("secret").getBytes(),
                row.getBuffer("previous_secret") == null ? null : row.getBuffer("previous_secret").getBytes());
    }

    @Test
    void shouldShowANewSecretOnceAndKeepThePreviousOneSigningDuringTheOverlap() {
        // Tenant "default" (the dev key); the other tests of this stack never create a secret.
        pool.query("DELETE FROM webhook_secrets WHERE tenant = 'default'").execute().await().indefinitely();
        given().get("/v1/webhook-secrets").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("webhook_secret_not_found"));

        JsonPath first = given().post("/v1/webhook-secrets").then().statusCode(201)
                .header("Cache-Control", "no-store").extract().jsonPath();
        String firstSecret = first.getString("secret");
        assertThat(firstSecret).matches("whsec_[0-9A-Za-z]{40}");
        assertThat(first.getString("prefix")).isEqualTo(firstSecret.substring(0, 12));
        assertThat(first.getString("id")).startsWith("whk_");
        assertThat(first.getString("previous")).isNull();
        assertThat(Instant.parse(first.getString("created_at"))).isBefore(Instant.now().plusSeconds(1));

        // Stored sealed, never in plaintext; the GET never shows it.
        assertThat(new String(stored("default").getBuffer("secret").getBytes(),
                java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(firstSecret.substring(6));
        String shown = given().get("/v1/webhook-secrets").then().statusCode(200)
                .body("id", equalTo(first.getString("id"))).body("prefix", equalTo(first.getString("prefix")))
                .extract().asString();
        assertThat(shown).doesNotContain(firstSecret).doesNotContain("\"secret\"");
        assertThat(signingSecrets("default")).containsExactly(firstSecret);

        JsonPath second = given().post("/v1/webhook-secrets").then().statusCode(201).extract().jsonPath();
        String secondSecret = second.getString("secret");
        assertThat(secondSecret).isNotEqualTo(firstSecret);
        assertThat(second.getString("previous.id")).isEqualTo(first.getString("id"));
        Instant expires = Instant.parse(second.getString("previous.expires_at"));
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
        given().get("/v1/webhook-secrets").then().statusCode(200)
                .body("id", equalTo(second.getString("id"))).body("previous.id", equalTo(first.getString("id")));
        assertThat(signingSecrets("default")).containsExactly(secondSecret, firstSecret);

        // A leaked secret: rotate without an overlap.
        JsonPath third = given().queryParam("expire_previous", "true").post("/v1/webhook-secrets").then()
                .statusCode(201).extract().jsonPath();
        assertThat(third.getString("previous")).isNull();
        assertThat(signingSecrets("default")).containsExactly(third.getString("secret"));
        given().get("/v1/webhook-secrets").then().statusCode(200).body("previous", org.hamcrest.Matchers.nullValue());

        given().queryParam("expire_previous", "maybe").post("/v1/webhook-secrets").then().statusCode(400)
                .body("code", equalTo("invalid_query"));
    }

    @Test
    void shouldRefuseCallersWithoutAKey() {
        given().header("Authorization", "Bearer fw_nobody_000000000000000000000000").post("/v1/webhook-secrets")
                .then().statusCode(401).body("code", equalTo("unauthorized"));
    }
}
