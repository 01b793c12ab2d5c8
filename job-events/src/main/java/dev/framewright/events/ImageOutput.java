package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One still, {@code image.{format}}: a frame of a video input, or a resize of an image input.
 *
 * @param width     pixels; with height null it follows the aspect. Both null: the source size
 * @param height    pixels
 * @param fit       how the picture meets a width x height box; default contain
 * @param atSeconds for a video: where the still is taken; default 1 s, or mid-clip if shorter
 * @param format    default jpg
 * @param redactFaces blur or pixelate every face detected in the still; default none
 * @param autorotate false: the raw stored frame, not turned upright by the input's display matrix, rotate tag or
 *                   EXIF orientation; default true
 */
public record ImageOutput(String name, Integer width, Integer height, Fit fit, Double atSeconds, ImageFormat format,
        FaceRedaction redactFaces, Boolean autorotate) implements OutputSpec {

    public ImageOutput(String name, Integer width, Integer height, Fit fit, Double atSeconds, ImageFormat format) {
        this(name, width, height, fit, atSeconds, format, null, null);
    }

    /** Turned upright. */
    public ImageOutput(String name, Integer width, Integer height, Fit fit, Double atSeconds, ImageFormat format,
            FaceRedaction redactFaces) {
        this(name, width, height, fit, atSeconds, format, redactFaces, null);
    }

    public static ImageOutput of(String name, Integer width, Integer height) {
        return new ImageOutput(name, width, height, null, null, null);
    }

    /** How a picture meets a box, as CSS {@code object-fit}. */
    public enum Fit {
        /** Inside the box, aspect kept; the image may be smaller than the box on one side. */
        CONTAIN,
        /** Fills the box, aspect kept, centre-cropped. */
        COVER,
        /** Exactly the box, stretched. */
        FILL;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public OutputType type() {
        return OutputType.IMAGE;
    }
}
