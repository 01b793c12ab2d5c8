package dev.framewright.projector.fold;

import java.util.Locale;

/** A job's status in the read model, ordered so that a job only ever moves forward. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String status) {
        return valueOf(status.toUpperCase(Locale.ROOT));
    }
}
