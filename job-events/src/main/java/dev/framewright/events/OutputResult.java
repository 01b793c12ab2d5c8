package dev.framewright.events;

import java.util.List;

/** A finished output: its files and what they decode to. */
public record OutputResult(String name, OutputType type, List<OutputFile> files, MediaInfo media) {
}
