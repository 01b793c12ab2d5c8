package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Video containers, each with its codecs. */
public enum Container {
    /** H.264 High + AAC-LC, moov atom first so players start before the download ends. */
    MP4("video/mp4", "mp4"),
    /** VP9 + Opus. */
    WEBM("video/webm", "webm");

    private final String contentType;
    private final String extension;

    Container(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
