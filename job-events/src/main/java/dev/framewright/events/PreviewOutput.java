package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A short looping animation, {@code preview.{gif|webp}}.
 *
 * @param format   default gif
 * @param start    seconds into the source; default 0
 * @param duration seconds; default 3 (capped at what is left of the source)
 * @param width    pixels, height follows the aspect; default 320
 * @param fps      default 10
 * @param autorotate false: the raw stored frames, not turned upright by the input's display matrix or rotate tag;
 *                   default true
 */
public record PreviewOutput(String name, Format format, Double start, Double duration, Integer width, Double fps,
        Boolean autorotate) implements OutputSpec {

    /** Turned upright. */
    public PreviewOutput(String name, Format format, Double start, Double duration, Integer width, Double fps) {
        this(name, format, start, duration, width, fps, null);
    }

    /** Animated formats. */
    public enum Format {
        GIF("image/gif"),
        WEBP("image/webp");

        private final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        public String contentType() {
            return contentType;
        }

        public String extension() {
            return wireName();
        }

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public OutputType type() {
        return OutputType.PREVIEW;
    }
}
