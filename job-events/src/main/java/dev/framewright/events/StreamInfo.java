package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One stream of a media file. Fields that do not apply to its kind are null.
 *
 * @param index           position in the file
 * @param kind            {@code video}, {@code audio}, {@code subtitle}, {@code data} or {@code attachment}
 * @param codec           FFmpeg codec name, e.g. {@code h264}, {@code aac}
 * @param durationSeconds of this stream, when the container says
 * @param width           coded picture width as stored, pixels (video)
 * @param height          coded picture height as stored, pixels (video)
 * @param bitRate         bits per second, when known
 * @param displayWidth    width as shown: stretched by the sample aspect ratio, then turned by {@code rotation}
 * @param displayHeight   height as shown
 * @param rotation        degrees clockwise the stored picture is turned to be shown: 0, 90, 180 or 270 (video)
 * @param sampleAspectRatio pixel shape, e.g. {@code 16:15}; null for square pixels
 * @param fieldOrder      {@code progressive}, {@code tt}, {@code bb}, {@code tb} or {@code bt} (interlaced, top or
 *                        bottom field first, coded and shown); null when the stream does not say
 * @param colorPrimaries  FFmpeg name of the colour primaries the stream declares, e.g. {@code bt709}, {@code bt2020}
 *                        (video); null when unspecified
 * @param colorTransfer   FFmpeg name of the transfer characteristic, e.g. {@code bt709}, {@code smpte2084} (PQ),
 *                        {@code arib-std-b67} (HLG); null when unspecified
 * @param colorSpace      FFmpeg name of the YUV matrix, e.g. {@code bt709}, {@code smpte170m}, {@code bt2020nc}; null
 *                        when unspecified
 * @param colorRange      {@code tv} (limited) or {@code pc} (full); null when unspecified
 * @param title           the stream's {@code title} tag, e.g. {@code English (SDH)} (subtitle streams); null when
 *                        untagged
 * @param defaultTrack    the container flags the stream default (subtitle streams; null for others)
 * @param forced          the container flags the stream forced: only the parts a viewer needs, e.g. foreign dialogue
 *                        (subtitle streams; null for others)
 * @param subtitleType    {@code text} (mov_text, subrip, ass/ssa, webvtt: convertible to WebVTT) or {@code bitmap}
 *                        (PGS, DVB, DVD: pictures, listed but not converted) (subtitle streams; null for others)
 */
public record StreamInfo(int index, String kind, String codec, Integer width, Integer height, Double frameRate,
        Integer sampleRate, Integer channels, Long bitRate, Double durationSeconds, String language,
        Integer displayWidth, Integer displayHeight, Integer rotation, String sampleAspectRatio, String fieldOrder,
        String colorPrimaries, String colorTransfer, String colorSpace, String colorRange, String title,
        Boolean defaultTrack, Boolean forced, String subtitleType) {

    /** Not a subtitle stream: without title and dispositions. */
    public StreamInfo(int index, String kind, String codec, Integer width, Integer height, Double frameRate,
            Integer sampleRate, Integer channels, Long bitRate, Double durationSeconds, String language,
            Integer displayWidth, Integer displayHeight, Integer rotation, String sampleAspectRatio,
            String fieldOrder, String colorPrimaries, String colorTransfer, String colorSpace, String colorRange) {
        this(index, kind, codec, width, height, frameRate, sampleRate, channels, bitRate, durationSeconds, language,
                displayWidth, displayHeight, rotation, sampleAspectRatio, fieldOrder, colorPrimaries, colorTransfer,
                colorSpace, colorRange, null, null, null, null);
    }

    /** Subtitle {@code text} streams can become WebVTT; {@code bitmap} ones cannot. */
    public static final String TEXT = "text";
    public static final String BITMAP = "bitmap";

    /** Whether this is a subtitle stream of text (convertible to WebVTT). */
    @JsonIgnore
    public boolean isTextSubtitle() {
        return "subtitle".equals(kind) && TEXT.equals(subtitleType);
    }

    /** Without the colour description (not measured). */
    public StreamInfo(int index, String kind, String codec, Integer width, Integer height, Double frameRate,
            Integer sampleRate, Integer channels, Long bitRate, Double durationSeconds, String language,
            Integer displayWidth, Integer displayHeight, Integer rotation, String sampleAspectRatio,
            String fieldOrder) {
        this(index, kind, codec, width, height, frameRate, sampleRate, channels, bitRate, durationSeconds, language,
                displayWidth, displayHeight, rotation, sampleAspectRatio, fieldOrder, null, null, null, null, null,
                null, null, null);
    }

    /** Without the picture geometry (audio and other streams, or not measured). */
    public StreamInfo(int index, String kind, String codec, Integer width, Integer height, Double frameRate,
            Integer sampleRate, Integer channels, Long bitRate, Double durationSeconds, String language) {
        this(index, kind, codec, width, height, frameRate, sampleRate, channels, bitRate, durationSeconds, language,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
