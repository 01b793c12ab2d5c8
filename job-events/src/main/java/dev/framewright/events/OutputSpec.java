package dev.framewright.events;

/**
 * One requested output. Parameters a type does not use are null; new optional parameters may be
 * added in later minor versions of the contract, so consumers must ignore unknown fields.
 *
 * @param name      unique in the job, {@code [a-z0-9][a-z0-9_-]{0,63}}
 * @param width     bounding-box width in pixels; the aspect ratio is always kept
 * @param height    bounding-box height in pixels
 * @param atSeconds for {@code image} from a video: where the still is taken
 */
public record OutputSpec(String name, OutputType type, Integer width, Integer height, Double atSeconds) {
}
