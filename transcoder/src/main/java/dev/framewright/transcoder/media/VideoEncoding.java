package dev.framewright.transcoder.media;

import java.util.Set;

/**
 * H.264/AAC encoding parameters of {@link VideoTranscoder}.
 *
 * @param width        box width the output must fit in, or null
 * @param height       box height the output must fit in, or null (both null: the source size)
 * @param crf          x264 constant rate factor, 0..51 (lower is better quality)
 * @param preset       x264 preset name, e.g. {@code veryfast}
 * @param audioBitrate AAC bit rate in bit/s
 * @param threads      encoder threads; 0 = automatic (one per core)
 */
public record VideoEncoding(Integer width, Integer height, int crf, String preset, int audioBitrate, int threads) {

    public static final int DEFAULT_CRF = 23;
    /**
     * The ffmpeg CLI / x264 default preset is {@code medium}; {@code veryfast} is our default for throughput
     * (several times faster for a modest size increase at the same CRF). Configurable per job.
     */
    public static final String DEFAULT_PRESET = "veryfast";
    public static final int DEFAULT_AUDIO_BITRATE = 128_000;

    /** x264 preset names, fastest first. */
    public static final Set<String> PRESETS = Set.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium",
            "slow", "slower", "veryslow", "placebo");

    public static VideoEncoding defaults(Integer width, Integer height) {
        return new VideoEncoding(width, height, DEFAULT_CRF, DEFAULT_PRESET, DEFAULT_AUDIO_BITRATE, 0);
    }

    /** @return null when usable, else why not (a sentence for a user) */
    String problem() {
        if (width != null && width <= 0) {
            return "output width must be positive, was " + width;
        }
        if (height != null && height <= 0) {
            return "output height must be positive, was " + height;
        }
        if (crf < 0 || crf > 51) {
            return "crf must be between 0 and 51, was " + crf;
        }
        if (preset == null || !PRESETS.contains(preset)) {
            return "unknown x264 preset '" + preset + "'";
        }
        if (audioBitrate < 8_000 || audioBitrate > 512_000) {
            return "audio bitrate must be between 8000 and 512000 bit/s, was " + audioBitrate;
        }
        if (threads < 0) {
            return "threads must not be negative, was " + threads;
        }
        return null;
    }
}
