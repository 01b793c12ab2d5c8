package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a {@code video} or {@code image} output hides every detected face. */
public enum FaceRedaction {
    /** A strong blur over the face box. */
    BLUR,
    /** Coarse blocks (about 8 across the face box). */
    PIXELATE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
