package dev.framewright.api.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.framewright.api.testing.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class ListJobsTest {

    @Test
    void pagesNewestFirstWithoutDuplicatesOrGapsWhileJobsArrive() {
        String run = "run-" + UUID.randomUUID().toString().substring(0, 8);
        Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
        List<UUID> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // Pairs share a created_at: the id breaks the tie, so the order is still total.
            expected.add(0, Jobs.insert("default", "queued", "default", Map.of("run", run), 0,
                    base.plusSeconds(i / 2), List.of(), null, null, null));
        }
        Set<String> seen = new LinkedHashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("label", "run:" + run).queryParam("limit", 7);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/jobs").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("jobs.id");
            for (String id : ids) {
                assertThat(seen.add(id)).as("duplicate " + id).isTrue();
            }
            cursor = page.getString("next_cursor");
            pages++;
            // Newer jobs arriving between pages never show up on later pages nor shift them.
            Jobs.insert("default", "queued", "default", Map.of("run", run), 0, Instant.now(), List.of(), null, null, null);
        } while (cursor != null);
        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(25).containsExactlyInAnyOrderElementsOf(expected.stream().map(UUID::toString).toList());
        // Newest first: created_at never increases along the listing.
        List<String> created = given().queryParam("label", "run:" + run).queryParam("limit", 100).get("/v1/jobs")
                .jsonPath().getList("jobs.created_at");
        assertThat(created).hasSize(25 + pages);
        for (int i = 1; i < created.size(); i++) {
            assertThat(Instant.parse(created.get(i))).isBeforeOrEqualTo(Instant.parse(created.get(i - 1)));
        }
    }

    @Test
    void filtersByStatusQueueLabelsAndTime() {
        String run = "f-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        UUID a = Jobs.insert("default", "succeeded", "express", Map.of("run", run, "tier", "gold"), 1, t0, List.of(), null, null, null);
        UUID b = Jobs.insert("default", "failed", "default", Map.of("run", run, "tier", "gold"), 1, t0.plusSeconds(60), List.of(), null, null, null);
        UUID c = Jobs.insert("default", "succeeded", "default", Map.of("run", run), 1, t0.plusSeconds(120), List.of(), null, null, null);
        Jobs.insert("other-tenant", "succeeded", "default", Map.of("run", run), 1, t0, List.of(), null, null, null);

        assertThat(ids(Map.of("label", "run:" + run))).containsExactly(c.toString(), b.toString(), a.toString());
        assertThat(ids(Map.of("label", "run:" + run, "status", "succeeded"))).containsExactly(c.toString(), a.toString());
        assertThat(ids(Map.of("label", "run:" + run, "queue", "express"))).containsExactly(a.toString());
        assertThat(given().queryParam("label", "run:" + run).queryParam("label", "tier:gold").get("/v1/jobs")
                .jsonPath().getList("jobs.id")).containsExactly(b.toString(), a.toString());
        assertThat(ids(Map.of("label", "run:" + run, "created_after", t0.plusSeconds(30).toString(),
                "created_before", t0.plusSeconds(90).toString()))).containsExactly(b.toString());
        given().queryParam("limit", 101).get("/v1/jobs").then().statusCode(400).body("code", equalTo("invalid_query"));
        given().queryParam("status", "done").get("/v1/jobs").then().statusCode(400);
        given().queryParam("cursor", "garbage").get("/v1/jobs").then().statusCode(400).body("code", equalTo("invalid_cursor"));
    }

    private static List<String> ids(Map<String, String> query) {
        return given().queryParams(query).get("/v1/jobs").then().statusCode(200).extract().jsonPath().getList("jobs.id");
    }
}
