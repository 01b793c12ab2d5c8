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
        // temporary compile fix against the new contract (api-model rewrites this)
        return switch (type) {
            case IMAGE -> new dev.framewright.events.ImageOutput(name, width, height, null, atSeconds, null);
            case PROBE -> new dev.framewright.events.ProbeOutput(name);
            default -> dev.framewright.events.VideoOutput.of(name, width, height);
        };
    }
}
