package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;

/**
 * A finished output: its files and what they decode to.
 *
 * @param files     every file, or, when {@code manifest} is set, only its principal ones (playlists, sprite, WebVTT,
 *                  the first few others): see {@link OutputManifest}
 * @param fileCount how many files the output has in all; null from producers older than this field
 * @param manifest  object key of the {@link OutputManifest} listing every file; null when {@code files} lists them all
 * @param labels    a {@code describe} output's summary: its best labels (of an image, or averaged over a video's
 *                  samples), best first; null for every other output
 */
public record OutputResult(String name, OutputType type, List<OutputFile> files, MediaInfo media, Integer fileCount,
        String manifest, List<DescribeLabel> labels) {

    @JsonCreator
    public OutputResult {
    }

    /** An output without a describe summary. */
    public OutputResult(String name, OutputType type, List<OutputFile> files, MediaInfo media, Integer fileCount,
            String manifest) {
        this(name, type, files, media, fileCount, manifest, null);
    }

    /** An output whose files are all listed here. */
    public OutputResult(String name, OutputType type, List<OutputFile> files, MediaInfo media) {
        this(name, type, files, media, files == null ? null : files.size(), null);
    }
}
