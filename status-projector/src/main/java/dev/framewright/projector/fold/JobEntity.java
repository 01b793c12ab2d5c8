package dev.framewright.projector.fold;

import dev.framewright.events.InputObject;
import dev.framewright.events.MediaInfo;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** A row of the {@code jobs} read model. Only {@link JobFold} changes it. */
@Entity
@Table(name = "jobs")
public class JobEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(nullable = false)
    public String status;

    public int attempt;

    @Column(name = "progress_percent")
    public double progressPercent;

    @Column(name = "progress_stage")
    public String progressStage;

    @Convert(converter = JsonColumns.Input.class)
    @ColumnTransformer(read = "input::text", write = JsonColumns.WRITE)
    public InputObject input;

    @Column(name = "input_media")
    @Convert(converter = JsonColumns.Media.class)
    @ColumnTransformer(read = "input_media::text", write = JsonColumns.WRITE)
    public MediaInfo inputMedia;

    /** Replaced, never mutated in place, so Hibernate sees the change. */
    @Convert(converter = JsonColumns.Outputs.class)
    @ColumnTransformer(read = "outputs::text", write = JsonColumns.WRITE)
    public List<OutputState> outputs = new ArrayList<>();

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public JobStatus jobStatus() {
        return JobStatus.fromWire(status);
    }
}
