package dev.framewright.transcoder.media;

import dev.framewright.events.DescribeLabel;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputType;
import java.nio.file.Path;
import java.util.List;

/**
 * An output rendered into the scratch directory, before upload.
 *
 * @param files the files, the main one first (the master playlist of a ladder, the video of a rendition)
 * @param media what the main file decodes to
 * @param labels a describe output's summary (its best labels), reported in the output's result; else null
 */
public record RenderedOutput(String name, OutputType type, List<File> files, MediaInfo media,
        List<DescribeLabel> labels) {

    public RenderedOutput(String name, OutputType type, List<File> files, MediaInfo media) {
        this(name, type, files, media, null);
    }

    /**
     * One file of an output.
     *
     * @param path        relative to the output, e.g. {@code 720p/index.m3u8}; becomes the tail of its object key and
     *                    URL, so files of one output can refer to each other by relative paths
     * @param local       where it was written
     * @param contentType MIME type
     */
    public record File(String path, Path local, String contentType) {
    }
}
