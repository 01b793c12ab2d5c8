package dev.framewright.transcoder.worker;

import dev.framewright.events.rules.JobLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Transcoder settings; every key can be set as an environment variable (FRAMEWRIGHT_TRANSCODER_...). */
@ConfigMapping(prefix = "framewright.transcoder")
public interface TranscoderConfig {

    /** How the process takes its work (the oneshot package): one job per process, or a member of the group. */
    enum Mode {
        /** A member of the request topics' consumer group, running jobs until stopped (the StatefulSet). */
        CONSUMER,
        /** Runs the one work item named by {@code WORK_ITEM_FILE} (or the first argument), then exits. */
        ONESHOT
    }

    /** {@code consumer} (default) or {@code oneshot}: see {@link Mode}; oneshot never joins the consumer group. */
    @WithDefault("consumer")
    Mode mode();

    /**
     * In consumer mode, requests this process takes before it exits (0: no limit). 1 is a KEDA ScaledJob's pod:
     * it takes one record from the group, runs it, commits it and exits 0 (75 when it could not conclude it).
     */
    @WithDefault("0")
    int maxJobs();

    /**
     * With {@code max-jobs}: exit 0 when no request was taken for this long since the start (a ScaledJob's pod whose
     * partitions hold nothing; KEDA starts another while there is lag). Empty: wait forever.
     */
    Optional<Duration> maxIdle();

    /**
     * Jobs one instance runs at once. Each encode already uses every core, so 1 is right for most machines;
     * scale out with more instances in the consumer group instead.
     */
    @WithDefault("1")
    int parallelism();

    /** Scratch space for inputs and outputs while a job runs; cleaned after each job. Empty = the JVM's temp dir. */
    Optional<String> workDir();

    /** Minimum time between two JobProgress events of one job. */
    @WithDefault("1s")
    Duration progressInterval();

    /** Name of this instance in JobStarted events. Empty = host name and process id. */
    Optional<String> workerId();

    /** Queues whose request topics this instance consumes ({@code framewright.job-requests.{queue}.v1}). */
    @WithDefault("default")
    List<String> queues();

    /**
     * Static consumer-group membership ({@code group.instance.id}), e.g. the pod name of a StatefulSet: a restart
     * within the session timeout gets its partitions back without a rebalance. Empty = dynamic membership.
     */
    Optional<String> instanceId();

    /**
     * Attempts per job: transient failures (storage down, stalls, internal errors) are retried up to this many
     * attempts; a job whose last this-many attempts all died without an end (worker crashes) is quarantined.
     */
    @WithDefault("3")
    int maxAttempts();

    /** First delay between two attempts of one delivery; doubles each time, with jitter. */
    @WithDefault("2s")
    Duration retryBackoff();

    /** Longest delay between two attempts. */
    @WithDefault("30s")
    Duration retryBackoffMax();

    /**
     * How long one attempt may run; a request's {@code maxDurationSeconds} may only lower it. Fails with timeout.
     * job-api reads the same setting ({@code JobLimits.MAX_JOB_DURATION}) and refuses a larger request.
     */
    @WithDefault(JobLimits.DEFAULT_MAX_JOB_DURATION)
    Duration maxJobDuration();

    /** A pipeline whose position in the media has not moved for this long is stalled: aborted and retried. */
    @WithDefault("120s")
    Duration stallTimeout();

    /**
     * How long an attempt's claim counts as alive without a heartbeat (its owner refreshes it every third of this):
     * another delivery of the same request waits for a live claim's answer instead of running the job twice.
     */
    @WithDefault("30s")
    Duration attemptLease();

    /** How often a running job looks for a cancel request (at most 2 s). */
    @WithDefault("1s")
    Duration cancelPollInterval();

    /**
     * On shutdown (SIGTERM), how long a running job may still take to finish; then it is aborted without a
     * terminal event and its request is left uncommitted for another worker. Keep it below the pod's
     * terminationGracePeriodSeconds.
     */
    @WithDefault("25s")
    Duration shutdownGrace();

    /** Input limits, checked on headers and the probe before decoding. */
    Limits limits();

    /** Resource-aware admission: a job waits (its request unacknowledged) until disk and memory suffice. */
    Admission admission();

    interface Limits {
        /** Width × height of a video. Default 8K (8192×4320). */
        @WithDefault("35389440")
        long maxVideoPixels();

        /** Width × height of a still image. Default 8192×8192. */
        @WithDefault("67108864")
        long maxImagePixels();

        @WithDefault("240")
        double maxFrameRate();

        /** Media duration. */
        @WithDefault("6h")
        Duration maxDuration();

        @WithDefault("32")
        int maxStreams();

        /** Input file size in bytes. Default 20 GiB. */
        @WithDefault("21474836480")
        long maxInputBytes();
    }

    interface Admission {
        @WithDefault("true")
        boolean enabled();

        /** Scratch disk a job needs, as a multiple of its input size (input + outputs + intermediates). */
        @WithDefault("3.0")
        double diskFactor();

        /** Scratch disk kept free besides the estimate. */
        @WithDefault("512")
        long diskReserveMb();

        /** Decoded frames in flight per output (queues between decoder and encoders). */
        @WithDefault("8")
        int framesInFlight();

        /** Longest wait between two admission checks. */
        @WithDefault("60s")
        Duration maxWait();
    }
}
