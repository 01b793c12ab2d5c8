package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of output a job can ask for. */
public enum OutputType {
    /** MP4, H.264 + AAC, scaled to fit the requested box with the aspect ratio kept. */
    VIDEO,
    /** One still: a frame of a video input, or a resize of an image input. */
    IMAGE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
