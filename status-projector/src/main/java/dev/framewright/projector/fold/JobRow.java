package dev.framewright.projector.fold;

import dev.framewright.events.InputObject;
import dev.framewright.events.MediaInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A row of the {@code jobs} read model, in memory. Only {@link JobFold} changes it; {@code ReadModelStore} loads and
 * writes it. Field names follow the columns.
 */
public final class JobRow {

    public UUID id;
    public String tenant;
    public String status = JobStatus.QUEUED.wireName();
    /** The highest attempt seen (a retry counts as the attempt it follows). */
    public int attempt;
    public double progressPercent;
    public String progressStage;
    public Double progressFps;
    public Double progressEtaSeconds;
    public InputObject input;
    public MediaInfo inputMedia;
    public List<OutputState> outputs = new ArrayList<>();
    public String errorCode;
    public String errorMessage;
    public Instant createdAt;
    public Instant startedAt;
    public Instant finishedAt;
    /** The newest event time seen for the job. */
    public Instant updatedAt;
    public String queue = "default";
    public Map<String, String> labels = new LinkedHashMap<>();
    public String webhookUrl;
    public boolean webhookProgress;
    public Integer maxDurationSeconds;
    public Instant expiresAt;
    public Instant expiredAt;
    public Instant canceledAt;
    /** The attempt of the latest retry: lifecycle events of this attempt or older are stale. Null: never retried. */
    public Integer retriedAttempt;
    /** When the latest retry was requested. */
    public Instant retriedAt;
    /** The outputs the latest retry re-runs. */
    public List<String> retriedOutputs;

    public JobStatus jobStatus() {
        return JobStatus.fromWire(status);
    }
}
