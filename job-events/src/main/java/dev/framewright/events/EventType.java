package dev.framewright.events;

import java.util.Arrays;
import java.util.Optional;

/** Maps each event record to its versioned CloudEvents type. */
public enum EventType {
    REQUESTED("framewright.job.requested.v1", JobRequested.class),
    STARTED("framewright.job.started.v1", JobStarted.class),
    PROGRESS("framewright.job.progress.v1", JobProgress.class),
    COMPLETED("framewright.job.completed.v1", JobCompleted.class),
    FAILED("framewright.job.failed.v1", JobFailed.class),
    CANCELED("framewright.job.canceled.v1", JobCanceled.class),
    EXPIRED("framewright.job.expired.v1", JobExpired.class);

    private final String ceType;
    private final Class<? extends JobEvent> recordClass;

    EventType(String ceType, Class<? extends JobEvent> recordClass) {
        this.ceType = ceType;
        this.recordClass = recordClass;
    }

    public String ceType() {
        return ceType;
    }

    public Class<? extends JobEvent> recordClass() {
        return recordClass;
    }

    public static EventType of(JobEvent event) {
        for (EventType t : values()) {
            if (t.recordClass == event.getClass()) {
                return t;
            }
        }
        throw new IllegalArgumentException("No CloudEvents type for " + event.getClass());
    }

    /** Empty for a type this version of the contract does not know: consumers skip those. */
    public static Optional<EventType> fromCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }
}
