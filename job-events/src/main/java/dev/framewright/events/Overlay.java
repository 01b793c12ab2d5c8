package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * An image composited onto a video output, alpha-blended (PNG transparency is kept).
 *
 * @param image    object key of the image in the media bucket (job-api stores an uploaded {@code overlay} part there)
 * @param position named anchor; default {@code bottom-right}. Ignored when x and y are given
 * @param x        left edge in output pixels, from the left
 * @param y        top edge in output pixels, from the top
 * @param margin   distance from the edges for a named position, in output pixels; default 2 % of the output width
 * @param width    overlay width in output pixels (height keeps the image's aspect); default the image's own width,
 *                 capped at the output width
 * @param opacity  0 to 1; default 1
 * @param start    seconds of output time when the overlay appears; default 0
 * @param end      seconds of output time when it disappears; default the end
 */
public record Overlay(String image, Position position, Integer x, Integer y, Integer margin, Integer width,
        Double opacity, Double start, Double end) {

    /** Named anchors for {@link #position}. */
    public enum Position {
        TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT, CENTER;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
