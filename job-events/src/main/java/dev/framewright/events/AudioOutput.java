package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The audio track alone, {@code audio.{m4a|mp3|opus}}, with no video stream.
 *
 * @param codec       default aac
 * @param bitrateKbps default 128 (aac, mp3) or 96 (opus)
 * @param audioTrack  which audio stream of the input: a 0-based index among the audio streams, or an ISO 639
 *                    language code; default the stream flagged default, else the first
 * @param loudness    normalise the loudness; default none (the input's level)
 */
public record AudioOutput(String name, Codec codec, Integer bitrateKbps, String audioTrack, Loudness loudness)
        implements OutputSpec {

    /** The input's default track at its own loudness. */
    public AudioOutput(String name, Codec codec, Integer bitrateKbps) {
        this(name, codec, bitrateKbps, null, null);
    }

    /** Audio codecs, each with its container. */
    public enum Codec {
        AAC("audio/mp4", "m4a"),
        MP3("audio/mpeg", "mp3"),
        OPUS("audio/ogg", "opus");

        private final String contentType;
        private final String extension;

        Codec(String contentType, String extension) {
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

    @Override
    public OutputType type() {
        return OutputType.AUDIO;
    }
}
