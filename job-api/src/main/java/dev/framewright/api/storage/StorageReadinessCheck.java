package dev.framewright.api.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** job-api can only take jobs while it can store their inputs. */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {

    private final MediaStore store;

    public StorageReadinessCheck(MediaStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.checkBucket();
            return HealthCheckResponse.up("object-storage");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("object-storage").down().withData("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
