package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * An image composited onto a video output, alpha-blended (PNG transparency is kept).
 *
 * @param image      object key of the image in the media bucket (job-api stores an uploaded {@code overlay} part there)
 * @param position   named anchor; default {@code bottom-right}. Ignored when x and y are given
 * @param x          left edge in output pixels, from the left
 * @param y          top edge in output pixels, from the top
 * @param margin     distance from the edges for a named position, in output pixels; default 2 % of the output width
 * @param width      overlay width in output pixels (height keeps the image's aspect); default the image's own width,
 *                   capped at the output width
 * @param opacity    0 to 1; default 1
 * @param start      seconds of output time when the overlay appears; default 0
 * @param end        seconds of output time when it disappears; default the end
 * @param anchor     what the overlay is placed on: {@code frame} (the default: position, x, y, margin, width) or
 *                   {@code faces} (over every detected face, scaled to its box, following it through the video)
 * @param faceMargin with anchor faces: how much the face box grows on each side, a fraction of its size; default 0.2
 * @param maxFaces   with anchor faces: cover at most this many faces at a time, the largest; default all
 */
public record Overlay(String image, Position position, Integer x, Integer y, Integer margin, Integer width,
        Double opacity, Double start, Double end, Anchor anchor, Double faceMargin, Integer maxFaces) {

    /** Placed on the frame. */
    public Overlay(String image, Position position, Integer x, Integer y, Integer margin, Integer width,
            Double opacity, Double start, Double end) {
        this(image, position, x, y, margin, width, opacity, start, end, null, null, null);
    }

    /** This overlay with another image key, every other parameter kept. */
    public Overlay withImage(String key) {
        return new Overlay(key, position, x, y, margin, width, opacity, start, end, anchor, faceMargin, maxFaces);
    }

    /** Whether it is placed over the faces of the picture. */
    public boolean onFaces() {
        return anchor == Anchor.FACES;
    }

    /** Named anchors for {@link #position}. */
    public enum Position {
        TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT, CENTER;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What an overlay is placed on, {@link #anchor}. */
    public enum Anchor {
        /** The output frame, at a position or x/y. */
        FRAME,
        /** Every detected face, scaled to its box. */
        FACES;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
