package dev.framewright.transcoder.media;

import dev.framewright.events.FailureCode;
import dev.framewright.events.MediaInfo;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** Describes a media file as FFmpeg decodes it. */
public final class MediaProbe {

    static {
        FFmpegSupport.init();
    }

    private MediaProbe() {
    }

    /**
     * @return every {@link MediaInfo} field that applies to the file (a still image has no duration or frame rate; a
     *         file without audio has no audio fields)
     * @throws MediaException {@code INPUT_MISSING} if the file does not exist; {@code UNSUPPORTED_MEDIA} if FFmpeg
     *                        cannot open it or it has neither video nor audio
     */
    public static MediaInfo probe(Path file) throws MediaException {
        FFmpegFrameGrabber grabber = FFmpegSupport.open(file, null);
        try {
            return describe(grabber, file);
        } finally {
            FFmpegSupport.closeQuietly(grabber);
        }
    }

    static MediaInfo describe(FFmpegFrameGrabber grabber, Path file) throws MediaException {
        boolean video = grabber.hasVideo() && grabber.getImageWidth() > 0 && grabber.getImageHeight() > 0;
        boolean audio = grabber.hasAudio();
        if (!video && !audio) {
            throw new MediaException(FailureCode.UNSUPPORTED_MEDIA,
                    file.getFileName() + " has neither a video nor an audio stream");
        }
        boolean still = video && FFmpegSupport.isStillImage(grabber);
        long durationUs = FFmpegSupport.durationMicros(grabber);
        Double duration = !still && durationUs > 0 ? durationUs / 1_000_000.0 : null;

        Integer width = null;
        Integer height = null;
        String videoCodec = null;
        Double frameRate = null;
        if (video) {
            width = grabber.getImageWidth();
            height = grabber.getImageHeight();
            videoCodec = FFmpegSupport.codecName(grabber.getVideoCodec());
            double fps = grabber.getVideoFrameRate();
            if (!still && fps > 0 && Double.isFinite(fps)) {
                frameRate = fps;
            }
        }
        String audioCodec = null;
        Integer sampleRate = null;
        Integer channels = null;
        if (audio) {
            audioCodec = FFmpegSupport.codecName(grabber.getAudioCodec());
            sampleRate = grabber.getSampleRate() > 0 ? grabber.getSampleRate() : null;
            channels = grabber.getAudioChannels() > 0 ? grabber.getAudioChannels() : null;
        }
        return MediaInfo.summary(grabber.getFormat(), duration, width, height, videoCodec, frameRate, audioCodec,
                sampleRate, channels);
    }
}
