package dev.framewright.events;

/** Kafka topic names of the public contract. Every record is keyed by the job id, so one job's events stay in order. */
public final class Topics {

    /** {@link JobRequested} commands, consumed by the {@value #TRANSCODER_GROUP} consumer group. */
    public static final String JOB_REQUESTS = "framewright.job-requests.v1";

    /** Everything that happens to a job after it was requested: started, progress, completed, failed. */
    public static final String JOB_LIFECYCLE = "framewright.job-lifecycle.v1";

    /** Consumer group of the transcoder workers; scale it by adding instances, up to the partition count. */
    public static final String TRANSCODER_GROUP = "transcoder";

    /** Consumer group of the status projector. */
    public static final String PROJECTOR_GROUP = "status-projector";

    /** Partitions the local stack creates; production sizes them in deploy/k8s. */
    public static final int DEFAULT_PARTITIONS = 6;

    private Topics() {
    }
}
