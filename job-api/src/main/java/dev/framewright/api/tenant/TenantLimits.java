package dev.framewright.api.tenant;

/** A tenant's overrides of the deployment's limits ({@code tenants} table); a null field means "the default". */
public record TenantLimits(Integer requestsPerSecond, Integer burst, Integer maxQueuedJobs) {

    public static final TenantLimits NONE = new TenantLimits(null, null, null);
}
