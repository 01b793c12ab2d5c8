package dev.framewright.projector.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventsChannel;
import dev.framewright.events.Topics;
import dev.framewright.projector.stack.Lifecycles;
import dev.framewright.projector.stack.ProjectorStackResource;
import dev.framewright.projector.stack.StackTestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** A fold tells job-api's event streams which jobs changed: on commit, once per batch, and only for new events. */
@QuarkusTest
@QuarkusTestResource(ProjectorStackResource.class)
class FoldNotificationTest extends StackTestSupport {

    @Inject
    ReadModelStore store;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void aFoldedBatchNotifiesTheIdsOfItsJobsAndARedeliveredOneNothing() throws Exception {
        try (Connection listener = DriverManager.getConnection(jdbcUrl, user, password)) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN " + JobEventsChannel.NAME);
            }
            // 300 jobs: more ids than one payload holds.
            List<JobEvent> batch = new ArrayList<>();
            Set<UUID> jobIds = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                Lifecycles job = Lifecycles.newJob();
                jobIds.add(job.jobId());
                batch.add(job.requested(Topics.DEFAULT_QUEUE, null));
                batch.add(job.started(1, 1));
            }
            store.fold(batch).await().atMost(Duration.ofSeconds(30));

            List<String> payloads = drain(listener);
            assertThat(payloads).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p.length())
                    .isLessThanOrEqualTo(JobEventsChannel.MAX_PAYLOAD_BYTES));
            Set<UUID> notified = new HashSet<>();
            payloads.forEach(p -> notified.addAll(JobEventsChannel.jobIds(p)));
            assertThat(notified).isEqualTo(jobIds);

            // The same batch again (a redelivery after a restart): nothing new, nothing to wake.
            assertThat(store.fold(batch).await().atMost(Duration.ofSeconds(30))).isZero();
            assertThat(drain(listener)).isEmpty();
        }
    }

    /** The notifications that arrive within a second. */
    private static List<String> drain(Connection listener) throws Exception {
        List<String> payloads = new ArrayList<>();
        PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(1000);
        while (got != null && got.length > 0) {
            for (PGNotification n : got) {
                if (n.getName().equals(JobEventsChannel.NAME)) {
                    payloads.add(n.getParameter());
                }
            }
            got = listener.unwrap(PGConnection.class).getNotifications(500);
        }
        return payloads;
    }
}
