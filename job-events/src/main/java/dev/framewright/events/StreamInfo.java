package dev.framewright.events;

/**
 * One stream of a media file. Fields that do not apply to its kind are null.
 *
 * @param index           position in the file
 * @param kind            {@code video}, {@code audio}, {@code subtitle}, {@code data} or {@code attachment}
 * @param codec           FFmpeg codec name, e.g. {@code h264}, {@code aac}
 * @param durationSeconds of this stream, when the container says
 * @param bitRate         bits per second, when known
 */
public record StreamInfo(int index, String kind, String codec, Integer width, Integer height, Double frameRate,
        Integer sampleRate, Integer channels, Long bitRate, Double durationSeconds, String language) {
}
