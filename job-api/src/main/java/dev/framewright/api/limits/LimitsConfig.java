package dev.framewright.api.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Back-pressure limits; per-tenant overrides live in the {@code tenants} table. */
@ConfigMapping(prefix = "framewright.limits")
public interface LimitsConfig {

    /** Sustained API requests per second per tenant, per job-api instance. */
    @WithDefault("50")
    int requestsPerSecond();

    /** Requests a tenant may make at once above the sustained rate (the bucket's size). */
    @WithDefault("100")
    int burst();

    /** Queued plus running jobs a tenant may have before submissions answer 429. */
    @WithDefault("1000")
    int maxQueuedJobsPerTenant();

    /**
     * How long a tenant's count of queued and running jobs is reused for admission (per instance; the jobs this
     * instance accepts meanwhile are added to it). Longer: fewer counts, more overshoot of the cap across instances.
     */
    @WithDefault("100ms")
    Duration activeJobsRefresh();

    /** The transcoder group's total lag on the request topics above which submissions answer 503. */
    @WithDefault("10000")
    long maxQueueDepth();

    /** How often the queue depth is measured. */
    @WithDefault("2s")
    Duration queueDepthRefresh();

    /**
     * The longest retention a job may ask for ({@code retention_hours}); more is a 400. The default retention
     * ({@code framewright.retention.default-hours}) must not be above it.
     */
    @WithDefault("720h")
    Duration maxRetention();

    /**
     * Server-Sent Event streams ({@code GET /v1/jobs/{id}/events}) a tenant may hold open at once, per job-api
     * instance; one more answers 429 {@code too_many_streams}.
     */
    @WithDefault("100")
    int maxEventStreams();

    /**
     * The longest a {@code POST /v1/jobs} with {@code Prefer: wait=N} is held open for the job to end; a larger N is
     * cut to it. 0 turns the preference off.
     */
    @WithDefault("30s")
    Duration maxWait();

    /**
     * The most an inline input ({@code input.base64}) may decode to; more is a 413. At most the contract's
     * {@code JobLimits.MAX_INLINE_INPUT_BYTES} (4 MiB), its default; 0 turns inline inputs off.
     */
    @WithDefault("4194304")
    int maxInlineInputBytes();

    /** The consumer group whose lag is the queue depth. */
    @WithDefault("transcoder")
    String transcoderGroup();
}
