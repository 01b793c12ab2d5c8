package dev.framewright.events;

import java.util.List;

/**
 * What was decoded from a file. Fields that do not apply (no audio, a still image) are null.
 *
 * @param format          container/demuxer name as FFmpeg reports it, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param durationSeconds media duration
 * @param width           of the first video stream as displayed (turned upright, square pixels), pixels
 * @param height          of the first video stream as displayed, pixels
 * @param videoCodec      e.g. {@code h264}
 * @param frameRate       frames per second of the video stream
 * @param audioCodec      e.g. {@code aac}
 * @param audioSampleRate Hz
 * @param audioChannels   channel count
 * @param bitRate         overall bits per second, when the container says
 * @param streams         every stream of the file, in file order; null where only the summary was measured
 * @param rotation        degrees clockwise the first video stream's stored pictures are turned to be shown (display
 *                        matrix or {@code rotate} tag): 0, 90, 180 or 270; null without video or where not measured
 * @param loudness        of an output whose loudness was normalised: what was measured and applied; else null
 */
public record MediaInfo(String format, Double durationSeconds, Integer width, Integer height, String videoCodec,
        Double frameRate, String audioCodec, Integer audioSampleRate, Integer audioChannels, Long bitRate,
        List<StreamInfo> streams, Integer rotation, LoudnessReport loudness) {

    /** Without a loudness report (not normalised). */
    public MediaInfo(String format, Double durationSeconds, Integer width, Integer height, String videoCodec,
            Double frameRate, String audioCodec, Integer audioSampleRate, Integer audioChannels, Long bitRate,
            List<StreamInfo> streams, Integer rotation) {
        this(format, durationSeconds, width, height, videoCodec, frameRate, audioCodec, audioSampleRate,
                audioChannels, bitRate, streams, rotation, null);
    }

    /** This description with a loudness report. */
    public MediaInfo withLoudness(LoudnessReport report) {
        return new MediaInfo(format, durationSeconds, width, height, videoCodec, frameRate, audioCodec,
                audioSampleRate, audioChannels, bitRate, streams, rotation, report);
    }

    /** Without the rotation (not measured). */
    public MediaInfo(String format, Double durationSeconds, Integer width, Integer height, String videoCodec,
            Double frameRate, String audioCodec, Integer audioSampleRate, Integer audioChannels, Long bitRate,
            List<StreamInfo> streams) {
        this(format, durationSeconds, width, height, videoCodec, frameRate, audioCodec, audioSampleRate,
                audioChannels, bitRate, streams, null);
    }

    /** A summary without bit rate and stream list, as measured of an output file. */
    public static MediaInfo summary(String format, Double durationSeconds, Integer width, Integer height,
            String videoCodec, Double frameRate, String audioCodec, Integer audioSampleRate, Integer audioChannels) {
        return new MediaInfo(format, durationSeconds, width, height, videoCodec, frameRate, audioCodec,
                audioSampleRate, audioChannels, null, null, null);
    }
}
