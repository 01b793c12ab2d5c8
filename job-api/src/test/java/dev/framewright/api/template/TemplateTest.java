package dev.framewright.api.template;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.framewright.api.job.JobTestUploads;
import dev.framewright.api.tenant.ApiKeyStore;
import dev.framewright.api.tenant.ApiKeys;
import dev.framewright.api.testing.Fixtures;
import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue #17: named, versioned job specs per tenant; a job from one records the version it ran with. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class TemplateTest {

    private static final String OTHER_KEY = "fw_templates_other_tenant_key_0000000000001";

    @Inject
    ApiKeyStore keys;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonPath create(String name, String spec) {
        return given().contentType("application/json").body("{\"name\": \"" + name + "\", \"spec\": " + spec + "}")
                .post("/v1/templates").then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath submit(String body) {
        return given().contentType("application/json").body(body).post("/v1/jobs").then().statusCode(202)
                .extract().jsonPath();
    }

    @Test
    void eachPostOfANameAddsTheNextVersionAndTheLatestIsListed() {
        String name = unique("ladder");
        JsonPath first = create(name, "{\"outputs\": [{\"name\": \"web\", \"type\": \"video\", \"width\": 640}]}");
        assertThat(first.getInt("version")).isEqualTo(1);
        assertThat(first.getInt("spec.outputs[0].width")).isEqualTo(640);
        given().contentType("application/json")
                .body("{\"name\": \"" + name + "\", \"spec\": {\"queue\": \"express\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}}")
                .post("/v1/templates").then().statusCode(201)
                .header("Location", startsWith("http")).header("Location", org.hamcrest.Matchers.endsWith(
                        "/v1/templates/" + name + "?version=2"))
                .body("version", equalTo(2));

        given().get("/v1/templates/" + name).then().statusCode(200).body("version", equalTo(2))
                .body("spec.queue", equalTo("express"));
        given().get("/v1/templates/" + name + "?version=1").then().statusCode(200).body("version", equalTo(1))
                .body("spec.outputs[0].type", equalTo("video"));
        given().get("/v1/templates/" + name + "?version=3").then().statusCode(404).body("code", equalTo("not_found"));
        List<Integer> listed = given().get("/v1/templates").then().statusCode(200).extract().jsonPath()
                .getList("templates.findAll { it.name == '" + name + "' }.version", Integer.class);
        assertThat(listed).containsExactly(2);
    }

    @Test
    void aJobFromATemplateTakesItsSpecOverridesReplaceTopLevelFieldsAndTheJobRecordsTheVersion() throws Exception {
        String name = unique("web");
        create(name, """
                {"queue": "express", "retention_hours": 48, "labels": {"from": "template"},
                 "webhook": {"url": "https://hooks.example.com/template"},
                 "outputs": [{"name": "web", "type": "video", "width": 640}, {"name": "meta", "type": "probe"}]}""");
        create(name, """
                {"queue": "express", "retention_hours": 48, "labels": {"from": "template-v2"},
                 "outputs": [{"name": "poster", "type": "image", "width": 320}]}""");

        // The latest version, as it is.
        String upload = JobTestUploads.upload("clip.mp4", "video/mp4", Fixtures.mp4("template job"));
        JsonPath accepted = submit("{\"template\": \"" + name + "\", \"upload_id\": \"" + upload + "\"}");
        assertThat(accepted.getString("template.name")).isEqualTo(name);
        assertThat(accepted.getInt("template.version")).isEqualTo(2);
        UUID jobId = UUID.fromString(accepted.getString("id"));
        JobRequested requested = (JobRequested) Fixtures.event(Topics.requests("express"), jobId, JobRequested.class);
        assertThat(requested.queue()).isEqualTo("express");
        assertThat(requested.labels()).containsEntry("from", "template-v2");
        assertThat(requested.outputs()).extracting(o -> o.name()).containsExactly("poster");
        assertThat(ChronoUnit.HOURS.between(requested.time(), requested.expiresAt())).isEqualTo(48);
        given().get("/v1/jobs/" + jobId).then().statusCode(200).body("template.name", equalTo(name))
                .body("template.version", equalTo(2));

        // Version 1, with the job's own outputs and queue in place of the template's; the rest stays the template's.
        String second = JobTestUploads.upload("clip.mp4", "video/mp4", Fixtures.mp4("template job v1"));
        JsonPath overridden = submit("""
                {"template": "%s", "template_version": 1, "upload_id": "%s", "queue": "default",
                 "outputs": [{"name": "only", "type": "probe"}]}""".formatted(name, second));
        UUID overriddenId = UUID.fromString(overridden.getString("id"));
        JobRequested v1 = (JobRequested) Fixtures.event(Topics.requests("default"), overriddenId, JobRequested.class);
        assertThat(v1.outputs()).extracting(o -> o.name()).containsExactly("only");
        assertThat(v1.labels()).containsEntry("from", "template");
        assertThat(v1.webhook().url()).isEqualTo("https://hooks.example.com/template");
        given().get("/v1/jobs/" + overriddenId).then().body("template.version", equalTo(1))
                .body("queue", equalTo("default"));

        // A job without a template has none in its document.
        String plain = JobTestUploads.upload("clip.mp4", "video/mp4", Fixtures.mp4("no template"));
        assertThat(submit("{\"upload_id\": \"" + plain + "\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}")
                .getString("template")).isNull();
    }

    @Test
    void templatesAndTheJobsMadeFromThemKeepTheRulesOfEveryJobSpec() {
        given().contentType("application/json")
                .body("{\"name\": \"bad\", \"spec\": {\"outputs\": [{\"name\": \"v\", \"type\": \"video\", \"width\": 100000}]}}")
                .post("/v1/templates").then().statusCode(400).body("code", equalTo("invalid_spec"))
                .body("errors[0].field", equalTo("spec.outputs[0].width"));
        given().contentType("application/json")
                .body("{\"name\": \"bad\", \"spec\": {\"upload_id\": \"x\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}}")
                .post("/v1/templates").then().statusCode(400).body("errors[0].field", equalTo("spec.upload_id"));
        given().contentType("application/json")
                .body("{\"name\": \"bad\", \"spec\": {\"queue\": \"nope\", \"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}}")
                .post("/v1/templates").then().statusCode(400).body("code", equalTo("unknown_queue"))
                .body("errors[0].field", equalTo("spec.queue"));
        given().contentType("application/json")
                .body("{\"name\": \"Bad Name\", \"spec\": {\"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}}")
                .post("/v1/templates").then().statusCode(400).body("errors[0].field", equalTo("name"));
        given().contentType("application/json")
                .body("{\"name\": \"ok\", \"spec\": {\"outputs\": []}, \"extra\": 1}")
                .post("/v1/templates").then().statusCode(400).body("errors[0].field", equalTo("extra"));

        String name = unique("rules");
        create(name, "{\"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}");
        // An override is checked like any job field.
        given().contentType("application/json").body("""
                {"template": "%s", "upload_id": "%s", "outputs": [{"name": "v", "type": "video", "width": 100000}]}"""
                .formatted(name, UUID.randomUUID()))
                .post("/v1/jobs").then().statusCode(400).body("code", equalTo("invalid_spec"))
                .body("errors[0].field", equalTo("outputs[0].width"));
        given().contentType("application/json")
                .body("{\"template\": \"" + unique("missing") + "\", \"upload_id\": \"" + UUID.randomUUID() + "\"}")
                .post("/v1/jobs").then().statusCode(400).body("code", equalTo("unknown_template"))
                .body("errors[0].field", equalTo("template"));
        given().contentType("application/json")
                .body("{\"template\": \"" + name + "\", \"template_version\": 9, \"upload_id\": \"" + UUID.randomUUID() + "\"}")
                .post("/v1/jobs").then().statusCode(400).body("code", equalTo("unknown_template"))
                .body("errors[0].field", equalTo("template_version"));
        given().contentType("application/json")
                .body("{\"template_version\": 1, \"upload_id\": \"" + UUID.randomUUID() + "\"}")
                .post("/v1/jobs").then().statusCode(400).body("errors[0].field", equalTo("template_version"));
        // Multipart takes a template in its spec part too.
        given().multiPart("file", "clip.mp4", Fixtures.mp4("multipart template"), "video/mp4")
                .multiPart("spec", "{\"template\": \"" + name + "\"}")
                .post("/v1/jobs").then().statusCode(202).body("template.name", equalTo(name))
                .body("outputs[0].name", equalTo("p"));
    }

    @Test
    void anotherTenantsTemplateDoesNotExist() {
        keys.register("templates-other", ApiKeys.hash(OTHER_KEY), "test", dev.framewright.api.tenant.Scope.SUBMIT).await().indefinitely();
        String name = unique("private");
        create(name, "{\"outputs\": [{\"name\": \"p\", \"type\": \"probe\"}]}");
        String other = "Bearer " + OTHER_KEY;
        given().header("Authorization", other).get("/v1/templates/" + name).then().statusCode(404);
        assertThat(given().header("Authorization", other).get("/v1/templates").then().statusCode(200).extract()
                .jsonPath().getList("templates.name")).doesNotContain(name);
        given().header("Authorization", other).contentType("application/json")
                .body("{\"template\": \"" + name + "\", \"upload_id\": \"" + UUID.randomUUID() + "\"}")
                .post("/v1/jobs").then().statusCode(400).body("code", equalTo("unknown_template"));
        // The same name is theirs to use, from version 1.
        given().header("Authorization", other).contentType("application/json")
                .body("{\"name\": \"" + name + "\", \"spec\": {\"outputs\": [{\"name\": \"q\", \"type\": \"probe\"}]}}")
                .post("/v1/templates").then().statusCode(201).body("version", equalTo(1));
        given().get("/v1/templates/" + name).then().body("spec.outputs[0].name", equalTo("p"));
    }
}
