package dev.framewright.events;


/** The input's metadata as {@code probe.json}: the {@link MediaInfo} of the input, streams included. */
public record ProbeOutput(String name) implements OutputSpec {

    @Override
    public OutputType type() {
        return OutputType.PROBE;
    }
}
