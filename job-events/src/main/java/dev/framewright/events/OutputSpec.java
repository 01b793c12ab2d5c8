package dev.framewright.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.regex.Pattern;

/**
 * One requested output, discriminated on the wire by {@code type}. A parameter left null means "the
 * default" (each record documents its defaults; the transcoder applies them). Later minor versions may add
 * optional parameters, so consumers must ignore unknown fields.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = VideoOutput.class, name = "video"),
        @JsonSubTypes.Type(value = HlsOutput.class, name = "hls"),
        @JsonSubTypes.Type(value = ThumbnailsOutput.class, name = "thumbnails"),
        @JsonSubTypes.Type(value = ImageOutput.class, name = "image"),
        @JsonSubTypes.Type(value = AudioOutput.class, name = "audio"),
        @JsonSubTypes.Type(value = PreviewOutput.class, name = "preview"),
        @JsonSubTypes.Type(value = ProbeOutput.class, name = "probe"),
        @JsonSubTypes.Type(value = FacesOutput.class, name = "faces"),
        @JsonSubTypes.Type(value = CaptionsOutput.class, name = "captions"),
        @JsonSubTypes.Type(value = DescribeOutput.class, name = "describe")})
public sealed interface OutputSpec
        permits VideoOutput, HlsOutput, ThumbnailsOutput, ImageOutput, AudioOutput, PreviewOutput, ProbeOutput,
        FacesOutput, CaptionsOutput, DescribeOutput {

    /** What an output name must look like; it becomes a path segment of object keys and URLs. */
    Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** Unique in the job, matching {@link #NAME}. */
    String name();

    @JsonIgnore
    OutputType type();
}
