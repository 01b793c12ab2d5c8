package dev.framewright.projector.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.readmodel.JobsColumn;
import dev.framewright.projector.stack.ProjectorStackResource;
import dev.framewright.projector.stack.StackTestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract's {@link JobsColumn} list is the {@code jobs} table the projector's migrations build: a column added
 * to one and not the other fails here (job-api's own JobsSchemaTest checks its side against the same migrations).
 */
@QuarkusTest
@QuarkusTestResource(ProjectorStackResource.class)
class JobsSchemaTest extends StackTestSupport {

    @Test
    void theContractListsEveryColumnOfTheMigratedTableWithItsType() {
        Map<String, String> migrated = new LinkedHashMap<>();
        query("SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = 'jobs'"
                + " AND table_schema = current_schema() ORDER BY column_name")
                .forEach(r -> migrated.put(r.getString("column_name"), r.getString("udt_name")));
        Map<String, String> contract = Arrays.stream(JobsColumn.values())
                .collect(Collectors.toMap(JobsColumn::sql, c -> c.type().udtName()));

        assertThat(migrated).containsExactlyInAnyOrderEntriesOf(contract);
    }

    @Test
    void theFoldsStatementsNameEveryColumnOfARow() {
        for (JobsColumn c : JobsColumn.row()) {
            assertThat(JobRowColumns.LOCK).contains(c.sql());
            if (c.owner() == JobsColumn.Owner.FOLD) {
                assertThat(JobRowColumns.UPDATE).contains(c.sql() + " = u." + c.sql());
            }
        }
        // The statements are valid SQL for the table: an empty batch locks and updates nothing.
        assertThat(query(JobRowColumns.LOCK, (Object) new java.util.UUID[0]).size()).isZero();
        assertThat(pool.preparedQuery(JobRowColumns.UPDATE).execute(JobRowColumns.bind(java.util.List.of()))
                .await().indefinitely().rowCount()).isZero();
    }
}
