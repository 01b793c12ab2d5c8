package dev.framewright.api.job;

import dev.framewright.events.OutputSpec;
import dev.framewright.events.OutputType;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * One requested output. Sizes are a bounding box: the aspect ratio is always kept.
 *
 * @param atSeconds for an {@code image} of a video: where to take the still (default 1 s, or mid-clip if shorter)
 */
public record OutputRequest(
        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,63}", message = "must match [a-z0-9][a-z0-9_-]{0,63}") String name,
        @NotNull OutputType type,
        @Min(2) @Max(8192) Integer width,
        @Min(2) @Max(8192) Integer height,
        @PositiveOrZero Double atSeconds) {

    public OutputSpec toEvent() {
        return new OutputSpec(name, type, width, height, atSeconds);
    }
}
