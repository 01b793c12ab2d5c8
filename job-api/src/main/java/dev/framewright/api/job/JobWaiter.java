package dev.framewright.api.job;

import dev.framewright.api.limits.LimitsConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@code Prefer: wait=N} (RFC 7240) on {@code POST /v1/jobs}: waits for the job to end without holding a thread. The
 * job's status is polled with the reactive client on a Vert.x timer, often at first (a small image job ends within a
 * second or two) and then once a second, until the read model shows it terminal or the wait is over.
 */
@ApplicationScoped
public class JobWaiter {

    static final long FIRST_POLL_MS = 100;
    static final long MAX_POLL_MS = 1000;
    private static final Logger LOG = Logger.getLogger(JobWaiter.class);

    private final Pool pool;
    private final Vertx vertx;
    private final long maxWaitSeconds;

    public JobWaiter(Pool pool, Vertx vertx, LimitsConfig limits) {
        this.pool = pool;
        this.vertx = vertx;
        this.maxWaitSeconds = limits.maxWait().toSeconds();
    }

    /**
     * The seconds to wait for the {@code Prefer} headers given, cut to {@code framewright.limits.max-wait}; 0 for
     * none. As RFC 7240 has it, the first {@code wait} counts, and a value that is not a number is ignored.
     */
    public long seconds(List<String> preferHeaders) {
        return Math.min(requested(preferHeaders), maxWaitSeconds);
    }

    static long requested(List<String> preferHeaders) {
        if (preferHeaders == null) {
            return 0;
        }
        for (String header : preferHeaders) {
            for (String preference : header.split(",")) {
                String token = preference.split(";", 2)[0];
                int eq = token.indexOf('=');
                String name = (eq < 0 ? token : token.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                if (!name.equals("wait")) {
                    continue;
                }
                String value = eq < 0 ? "" : token.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                try {
                    return value.matches("\\d{1,9}") ? Long.parseLong(value) : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** True once the tenant's job is terminal in the read model; false when {@code within} passed first. */
    public Uni<Boolean> awaitEnd(String tenant, UUID jobId, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        return Uni.createFrom().emitter(emitter -> new Poll(emitter, tenant, jobId, deadline).start());
    }

    private final class Poll {
        private final UniEmitter<? super Boolean> emitter;
        private final String tenant;
        private final UUID jobId;
        private final long deadline;
        private long delay = FIRST_POLL_MS;
        private volatile long timer = -1;
        private volatile boolean over;

        Poll(UniEmitter<? super Boolean> emitter, String tenant, UUID jobId, long deadline) {
            this.emitter = emitter;
            this.tenant = tenant;
            this.jobId = jobId;
            this.deadline = deadline;
        }

        void start() {
            // A client that hangs up stops the polling.
            emitter.onTermination(() -> {
                over = true;
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
            });
            poll();
        }

        private void poll() {
            if (over) {
                return;
            }
            pool.preparedQuery("SELECT status FROM jobs WHERE id = $1 AND tenant = $2")
                    .execute(Tuple.of(jobId, tenant))
                    .subscribe().with(rows -> {
                        Iterator<Row> it = rows.iterator();
                        String status = it.hasNext() ? it.next().getString("status") : null;
                        if (status != null && JobRow.TERMINAL.contains(status)) {
                            emitter.complete(true);
                            return;
                        }
                        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                        if (left <= 0) {
                            emitter.complete(false);
                            return;
                        }
                        long next = Math.max(1, Math.min(delay, left));
                        delay = Math.min(MAX_POLL_MS, delay * 2);
                        timer = vertx.setTimer(next, t -> poll());
                    }, failure -> {
                        // The job is accepted either way: answer the usual 202 rather than an error.
                        LOG.warn("Waiting for job " + jobId + " failed; answering 202", failure);
                        emitter.complete(false);
                    });
        }
    }
}
