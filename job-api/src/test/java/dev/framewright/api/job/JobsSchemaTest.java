package dev.framewright.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.api.testing.LocalStackResource;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.InputObject;
import dev.framewright.events.readmodel.JobsColumn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * job-api's side of the {@code jobs} table it shares with the projector: the contract's column list is the table the
 * projector's migrations build (the projector's JobsSchemaTest checks the same from its side), and a seeded row
 * reads back with everything job-api wrote.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class JobsSchemaTest {

    @Inject
    Pool pool;

    @Inject
    JobReadModel readModel;

    @Test
    void theContractListsEveryColumnOfTheProjectorsTable() {
        Map<String, String> migrated = new LinkedHashMap<>();
        pool.query("SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = 'jobs'"
                        + " AND table_schema = current_schema()").execute().await().atMost(Duration.ofSeconds(10))
                .forEach(r -> migrated.put(r.getString("column_name"), r.getString("udt_name")));

        assertThat(migrated).containsExactlyInAnyOrderEntriesOf(Arrays.stream(JobsColumn.values())
                .collect(Collectors.toMap(JobsColumn::sql, c -> c.type().udtName())));
    }

    @Test
    void aSeededRowReadsBackWithEverythingTheRequestSaid() {
        UUID id = UUID.randomUUID();
        Instant created = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant expires = created.plus(Duration.ofHours(2));
        StoredOutput output = new StoredOutput("small", "image", "queued",
                new ImageOutput("small", 100, 100, null, null, null), null, null,
                null, null, null, null);
        JobRow seeded = new JobRow(id, "schema-test", "queued", "batch", Map.of("k", "v"), 0, 0, "queued", null,
                null, new InputObject("uploads/schema-test/x", "in.png", "image/png", 42, "\"etag\""), null,
                List.of(output), null, null, "https://example.test/hook", true, 30, created, null, null, expires,
                null, null, null);

        readModel.seed(seeded);
        JobRow read = readModel.find("schema-test", id);

        assertThat(read.queue()).isEqualTo("batch");
        assertThat(read.labels()).isEqualTo(Map.of("k", "v"));
        assertThat(read.input()).isEqualTo(seeded.input());
        assertThat(read.outputs()).extracting(StoredOutput::name, StoredOutput::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("small", "image"));
        assertThat(read.webhookUrl()).isEqualTo("https://example.test/hook");
        assertThat(read.webhookProgress()).isTrue();
        assertThat(read.maxDurationSeconds()).isEqualTo(30);
        assertThat(read.createdAt()).isEqualTo(created);
        assertThat(read.expiresAt()).isEqualTo(expires);
        assertThat(read.status()).isEqualTo("queued");
        assertThat(read.progressStage()).isEqualTo("queued");
        assertThat(readModel.find("another-tenant", id)).isNull();
    }
}
