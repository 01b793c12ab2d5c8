package dev.framewright.api.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.api.tenant.ApiKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operators' API on the real stack: the development key is the %test profile's admin key; the keys it makes are
 * used for real requests, and a revocation is refused at once although lookups are cached for 30 s.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class AdminApiTest {

    private static String newTenant() {
        String id = "adm-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json")
                .body(Map.of("id", id, "name", "Tenant " + id, "limits", Map.of("requests_per_second", 50)))
                .post("/v1/admin/tenants")
                .then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/v1/admin/tenants/" + id))
                .body("id", equalTo(id)).body("limits.requests_per_second", equalTo(50))
                .body("limits.burst", nullValue()).body("active_keys", equalTo(0));
        return id;
    }

    private static JsonPath newKey(String tenant, String scope) {
        return given().contentType("application/json").body(Map.of("name", "ci " + scope, "scope", scope))
                .post("/v1/admin/tenants/" + tenant + "/keys")
                .then().statusCode(201).header("Cache-Control", "no-store")
                .body("scope", equalTo(scope)).body("tenant", equalTo(tenant))
                .extract().jsonPath();
    }

    @Test
    void tenantsAreCreatedListedAndLimitedWithoutSql() {
        String id = newTenant();
        given().contentType("application/json").body(Map.of("id", id)).post("/v1/admin/tenants")
                .then().statusCode(409).body("code", equalTo("tenant_exists"));
        given().get("/v1/admin/tenants").then().statusCode(200).body("id", hasItem(id));

        given().contentType("application/json").body(Map.of("burst", 7, "max_queued_jobs", 0))
                .put("/v1/admin/tenants/" + id + "/limits")
                .then().statusCode(200).body("limits.burst", equalTo(7)).body("limits.max_queued_jobs", equalTo(0))
                .body("limits.requests_per_second", nullValue());
        given().get("/v1/admin/tenants/" + id).then().statusCode(200).body("limits.burst", equalTo(7));
        given().get("/v1/admin/tenants/nope-" + id).then().statusCode(404).body("code", equalTo("tenant_not_found"));
    }

    @Test
    void hostileTenantFieldsAreRefusedByName() {
        given().contentType("application/json").body(Map.of("id", "../default")).post("/v1/admin/tenants")
                .then().statusCode(400).body("code", equalTo("invalid_request")).body("errors.field", hasItem("id"));
        given().contentType("application/json").body(Map.of("id", "ok-" + UUID.randomUUID().toString().substring(0, 6),
                        "name", "bad\u0000name")).post("/v1/admin/tenants")
                .then().statusCode(400).body("errors.field", hasItem("name"));
        given().contentType("application/json").body(Map.of("requests_per_second", 0))
                .put("/v1/admin/tenants/default/limits")
                .then().statusCode(400).body("errors.field", hasItem("limits.requests_per_second"));
        given().contentType("application/json").body(Map.of("scope", "root")).post("/v1/admin/tenants/default/keys")
                .then().statusCode(400).body("errors.field", hasItem("scope"));
    }

    @Test
    void aKeyCanDoWhatItsScopeAllowsAndNoMore() {
        String tenant = newTenant();
        String reader = newKey(tenant, "read").getString("key");
        String submitter = newKey(tenant, "submit").getString("key");
        assertThat(ApiKeys.wellFormed(reader)).isTrue();

        given().header("Authorization", "Bearer " + reader).get("/v1/jobs").then().statusCode(200);
        given().header("Authorization", "Bearer " + reader).contentType("application/json")
                .body(Map.of("upload_id", UUID.randomUUID().toString(), "outputs", java.util.List.of()))
                .post("/v1/jobs")
                .then().statusCode(403).body("code", equalTo("insufficient_scope"))
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("scope=\"submit\""));
        given().header("Authorization", "Bearer " + submitter).get("/v1/admin/tenants")
                .then().statusCode(403).body("code", equalTo("insufficient_scope"));
        given().header("Authorization", "Bearer " + submitter).post("/v1/uploads")
                .then().statusCode(org.hamcrest.Matchers.not(403));

        // Listed without the key or its hash; the new keys count as active.
        JsonPath listed = given().get("/v1/admin/tenants/" + tenant + "/keys").then().statusCode(200)
                .extract().jsonPath();
        assertThat(listed.getList("scope")).containsExactlyInAnyOrder("read", "submit");
        assertThat(listed.getList("key")).containsOnlyNulls();
        assertThat(listed.prettify()).doesNotContain(ApiKeys.hash(reader)).doesNotContain(reader);
        given().get("/v1/admin/tenants/" + tenant).then().body("active_keys", equalTo(2));
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceThoughLookupsAreCached() {
        String tenant = newTenant();
        JsonPath created = newKey(tenant, "submit");
        String key = created.getString("key");
        // Cached as valid by this request (the cache keeps lookups 30 s).
        given().header("Authorization", "Bearer " + key).get("/v1/jobs").then().statusCode(200);

        long start = System.nanoTime();
        given().delete("/v1/admin/keys/" + created.getString("id"))
                .then().statusCode(200).body("revoked_at", org.hamcrest.Matchers.notNullValue());
        int status = 0;
        while (System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
            status = given().header("Authorization", "Bearer " + key).get("/v1/jobs").statusCode();
            if (status == 401) {
                break;
            }
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(status).isEqualTo(401);
        assertThat(millis).as("refused within a second of the revocation").isLessThan(1_000);

        given().delete("/v1/admin/keys/" + created.getString("id")).then().statusCode(200);
        given().delete("/v1/admin/keys/" + UUID.randomUUID()).then().statusCode(404).body("code", equalTo("key_not_found"));
        given().delete("/v1/admin/keys/not-a-uuid").then().statusCode(404);
    }

    static {
        Fixtures.useDevKey();
    }
}
