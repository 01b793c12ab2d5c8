package dev.framewright.api.storage;

import io.smallrye.config.ConfigMapping;

/** Where media lives. The S3 endpoint and credentials themselves are {@code quarkus.s3.*}. */
@ConfigMapping(prefix = "framewright.storage")
public interface StorageConfig {

    /** Bucket holding inputs ({@code uploads/...}) and outputs ({@code jobs/...}). */
    String bucket();
}
