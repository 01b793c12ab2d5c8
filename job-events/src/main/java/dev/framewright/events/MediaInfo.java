package dev.framewright.events;

/**
 * What was decoded from a file. Fields that do not apply (no audio, a still image) are null.
 *
 * @param format          container/demuxer name as FFmpeg reports it, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param durationSeconds media duration
 * @param videoCodec      e.g. {@code h264}
 * @param audioCodec      e.g. {@code aac}
 * @param frameRate       frames per second of the video stream
 * @param audioSampleRate Hz
 * @param audioChannels   channel count
 */
public record MediaInfo(String format, Double durationSeconds, Integer width, Integer height, String videoCodec,
        Double frameRate, String audioCodec, Integer audioSampleRate, Integer audioChannels) {
}
