package dev.framewright.events;

import java.util.List;

/**
 * An HLS ladder (H.264 + AAC in MPEG-TS segments): {@code master.m3u8}, and per rendition
 * {@code {height}p/index.m3u8} with its segments. Every path in a playlist is relative, so the ladder plays
 * from wherever its files are served.
 *
 * @param renditions     default 1080/720/480/360 at 5000/2800/1400/800 kbps; renditions taller than the source
 *                       are dropped (the source height is kept when every one would be)
 * @param segmentSeconds target segment length; default 6
 * @param audioTrack     which audio stream of the input: a 0-based index among the audio streams, or an ISO 639
 *                       language code; default the stream flagged default, else the first
 * @param loudness       normalise the audio's loudness; default none (the input's level)
 * @param captions       the input's text subtitle streams as WebVTT subtitle renditions ({@code subs/...}, group
 *                       {@code subs} in the master playlist); default true, false leaves them out
 * @param autorotate     false: the raw stored frames, not turned upright by the input's display matrix or rotate
 *                       tag; default true
 */
public record HlsOutput(String name, List<Rendition> renditions, Double segmentSeconds, String audioTrack,
        Loudness loudness, Boolean captions, Boolean autorotate) implements OutputSpec {

    /** Turned upright. */
    public HlsOutput(String name, List<Rendition> renditions, Double segmentSeconds, String audioTrack,
            Loudness loudness, Boolean captions) {
        this(name, renditions, segmentSeconds, audioTrack, loudness, captions, null);
    }

    /** With subtitle renditions when the input has text subtitles. */
    public HlsOutput(String name, List<Rendition> renditions, Double segmentSeconds, String audioTrack,
            Loudness loudness) {
        this(name, renditions, segmentSeconds, audioTrack, loudness, null);
    }

    /** The input's default audio track at its own loudness. */
    public HlsOutput(String name, List<Rendition> renditions, Double segmentSeconds) {
        this(name, renditions, segmentSeconds, null, null, null);
    }

    /** One rung of the ladder. */
    public record Rendition(int height, int bitrateKbps) {
    }

    @Override
    public OutputType type() {
        return OutputType.HLS;
    }
}
