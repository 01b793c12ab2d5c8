package dev.framewright.transcoder.media;

/**
 * Receives progress of a long media operation, about once per decoded video frame; implementations should be cheap
 * and do their own throttling.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores all progress. */
    ProgressListener NONE = (mediaSecondsDone, fps) -> {
    };

    /**
     * @param mediaSecondsDone position in the input media (seconds from its start) processed so far
     * @param fps              average processing speed so far, in video frames per wall-clock second
     */
    void onProgress(double mediaSecondsDone, double fps);
}
