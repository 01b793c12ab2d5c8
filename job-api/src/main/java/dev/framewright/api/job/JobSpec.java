package dev.framewright.api.job;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** What a client asks of a job: the {@code spec} part of {@code POST /v1/jobs}. */
public record JobSpec(@NotEmpty @Size(max = 32) List<@Valid @NotNull OutputRequest> outputs) {
}
