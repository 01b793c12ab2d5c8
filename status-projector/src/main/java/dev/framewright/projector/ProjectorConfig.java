package dev.framewright.projector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The projector's own settings (environment: {@code FRAMEWRIGHT_PROJECTOR_...}). */
@ConfigMapping(prefix = "framewright.projector")
public interface ProjectorConfig {

    /** Bodies larger than this many bytes are parked ({@code too_large}), never folded: 1 MiB, the broker default. */
    @WithDefault("1048576")
    int maxRecordBytes();

    /**
     * How long a batch is retried (backoff 100 ms doubling to 10 s) while the database is unreachable or answers
     * with a transient error, before the channel stops (health DOWN, the pod restarts and tries again). Transient
     * failures never park a record.
     */
    @WithDefault("10m")
    Duration transientRetryFor();

    /**
     * When set, the operator endpoints ({@code /admin/...}) want {@code Authorization: Bearer <token>}. Port 8082
     * is cluster-internal either way (no Ingress); parked payloads hold every tenant's data.
     */
    Optional<String> adminToken();

    /** Retention purge of the history of expired jobs. */
    Purge purge();

    interface Purge {
        /** How often the purge runs; each run deletes until nothing is due or {@code max-per-run} rows went. */
        @WithDefault("5m")
        Duration interval();

        /** Rows per DELETE statement, so a purge never holds long locks or a long transaction. */
        @WithDefault("1000")
        int batchSize();

        /** Rows one run deletes at most; the next run continues. */
        @WithDefault("200000")
        int maxPerRun();

        /**
         * Past a job's retention ({@code expired_at}, or {@code expires_at} of a finished job) by this long, its
         * {@code job_events}, webhook deliveries and attempts, and parked records are deleted; the job row stays.
         */
        @WithDefault("1h")
        Duration grace();

        /** Parked records of no known job are deleted this long after they were parked. */
        @WithDefault("720h")
        Duration parkedMaxAge();
    }
}
