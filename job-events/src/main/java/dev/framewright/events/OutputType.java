package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The kinds of output a job can ask for; each has its own parameter record in {@link dev.framewright.events.spec}. */
public enum OutputType {
    /** MP4 (H.264 + AAC) or WebM (VP9 + Opus). */
    VIDEO,
    /** An HLS ladder: a master playlist, and a media playlist with segments per rendition. */
    HLS,
    /** Stills every N seconds or N evenly spaced, optionally a sprite sheet and a WebVTT track. */
    THUMBNAILS,
    /** One still: a frame of a video input, or a resize of an image input. */
    IMAGE,
    /** Audio only: M4A (AAC), MP3 or Opus. */
    AUDIO,
    /** A short animated GIF or WebP. */
    PREVIEW,
    /** The input's metadata as a JSON document. */
    PROBE,
    /** The faces detected in an image or along a video, with boxes and track ids, as JSON. */
    FACES,
    /** The input's text subtitle streams as WebVTT files. */
    CAPTIONS,
    /** Labels with scores from the deployment's classifier model, for an image or samples of a video, as JSON. */
    DESCRIBE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OutputType fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
