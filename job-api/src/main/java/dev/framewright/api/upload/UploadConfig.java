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

    /**
     * Uploads of more bytes than this are S3 multipart uploads: {@code POST /v1/uploads} answers presigned part URLs
     * instead of one PUT, and a multipart {@code POST /v1/jobs} streams its file to S3 in parts. 64 MiB by default.
     */
    @WithDefault("67108864")
    long multipartAboveBytes();

    /**
     * The part size job-api plans with (raised when an object would need more than 10,000 parts, kept between
     * 5 MiB and 5 GiB: {@link PartPlan}). 64 MiB by default.
     */
    @WithDefault("67108864")
    long partBytes();

    /** A multipart upload not completed this long after {@code POST /v1/uploads} is aborted by the sweeper. */
    @WithDefault("24H")
    java.time.Duration multipartTtl();
}
