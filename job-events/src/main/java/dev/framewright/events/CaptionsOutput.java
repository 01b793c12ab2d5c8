package dev.framewright.events;


/**
 * The input's subtitle streams as WebVTT sidecars: one {@code {n}-{language}.vtt} per text subtitle stream ({@code n}
 * its 0-based position among the subtitle streams; {@code {n}.vtt} when it has no language), and
 * {@code captions.json} listing every subtitle stream, converted or skipped (bitmap streams, PGS/DVB/DVD, cannot
 * become text) with the reason. An input without subtitles gives {@code captions.json} with no tracks.
 */
public record CaptionsOutput(String name) implements OutputSpec {

    @Override
    public OutputType type() {
        return OutputType.CAPTIONS;
    }
}
