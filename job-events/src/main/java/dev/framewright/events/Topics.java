package dev.framewright.events;

import java.util.regex.Pattern;

/** Kafka topic names of the public contract. Every record is keyed by the job id, so one job's events stay in order. */
public final class Topics {

    /** The queue a job waits in unless it names another. */
    public static final String DEFAULT_QUEUE = "default";

    /** What a queue name must look like; it becomes part of a topic name. */
    public static final Pattern QUEUE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /** {@link JobRequested} of the default queue. */
    public static final String JOB_REQUESTS = requests(DEFAULT_QUEUE);

    /** Everything that happens to a job after it was requested: started, progress, and its terminal event. */
    public static final String JOB_LIFECYCLE = "framewright.job-lifecycle.v1";

    /**
     * Requests the transcoder gave up on (after its last attempt, or quarantined), with the reason in the
     * {@code framewright_dlq_*} headers. {@code framewright redrive} publishes them again.
     */
    public static final String DEAD_LETTER = "framewright.job-dead-letters.v1";

    /** Consumer group of the transcoder workers; scale it by adding instances, up to the partition count. */
    public static final String TRANSCODER_GROUP = "transcoder";

    /** Consumer group of the status projector. */
    public static final String PROJECTOR_GROUP = "status-projector";

    /** Partitions the local stack creates; production sizes them in deploy/k8s. */
    public static final int DEFAULT_PARTITIONS = 6;

    private Topics() {
    }

    /** The request topic of a queue: {@code framewright.job-requests.{queue}.v1}. */
    public static String requests(String queue) {
        if (!QUEUE_NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException("Not a queue name: " + queue);
        }
        return "framewright.job-requests." + queue + ".v1";
    }
}
