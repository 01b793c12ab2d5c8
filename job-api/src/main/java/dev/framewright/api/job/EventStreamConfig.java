package dev.framewright.api.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Server-Sent Event streams of jobs ({@code GET /v1/jobs/{id}/events}). */
@ConfigMapping(prefix = "framewright.events")
public interface EventStreamConfig {

    /**
     * How often an open stream reads the database although no notification woke it: the bound on the delay of an
     * event whose notification was lost (job-api's LISTEN connection down). Each open stream costs one query per
     * this period.
     */
    @WithDefault("5s")
    Duration safetyPoll();

    /** How often an idle stream sends a comment, so proxies keep the connection open. */
    @WithDefault("15s")
    Duration keepAlive();
}
