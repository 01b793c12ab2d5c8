package dev.framewright.api.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "framewright.auth")
public interface AuthConfig {

    /**
     * How long a key lookup (found, unknown or revoked) is remembered per job-api instance. A revocation takes
     * effect within this time; a new key works at once.
     */
    @WithDefault("30s")
    Duration cacheTtl();

    /**
     * Keys registered at startup with scope {@code submit}: {@code tenant:key} or {@code tenant:sha256:<hex>}, comma
     * separated.
     */
    Optional<List<String>> bootstrapKeys();

    /** Keys registered at startup with scope {@code admin} (the {@code /v1/admin} API), in the same format. */
    Optional<List<String>> bootstrapAdminKeys();
}
