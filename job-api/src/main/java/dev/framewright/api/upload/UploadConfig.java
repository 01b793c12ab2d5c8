package dev.framewright.api.upload;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "framewright.uploads")
public interface UploadConfig {

    /**
     * The largest request body (the media plus the multipart framing and spec) job-api accepts; larger ones answer
     * 413 {@code payload_too_large} before they are read. {@code quarkus.http.limits.max-body-size} follows it.
     */
    @WithDefault("10737418240")
    long maxBytes();

    /** How long a presigned PUT of {@code POST /v1/uploads} stays valid. */
    @WithDefault("15M")
    java.time.Duration presignedTtl();
}
