package dev.framewright.events;

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
 */
public record StreamInfo(int index, String kind, String codec, Integer width, Integer height, Double frameRate,
        Integer sampleRate, Integer channels, Long bitRate, Double durationSeconds, String language,
        Integer displayWidth, Integer displayHeight, Integer rotation, String sampleAspectRatio, String fieldOrder) {

    /** Without the picture geometry (audio and other streams, or not measured). */
    public StreamInfo(int index, String kind, String codec, Integer width, Integer height, Double frameRate,
            Integer sampleRate, Integer channels, Long bitRate, Double durationSeconds, String language) {
        this(index, kind, codec, width, height, frameRate, sampleRate, channels, bitRate, durationSeconds, language,
                null, null, null, null, null);
    }
}
