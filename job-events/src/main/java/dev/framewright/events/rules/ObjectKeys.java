package dev.framewright.events.rules;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The layout of input objects in the media bucket, shared by job-api (which writes them) and the transcoder (which
 * must read only the job's tenant's): {@code uploads/{tenant}/{uuid}}. A key from a record or a client is trusted no
 * further than {@link #isUploadOf}.
 */
public final class ObjectKeys {

    /** What a tenant id looks like; it becomes a path segment of keys. */
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private static final String UPLOADS = "uploads/";

    private ObjectKeys() {
    }

    /** The key of one of a tenant's inputs. */
    public static String upload(String tenant, UUID id) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("not a tenant id: " + tenant);
        }
        return UPLOADS + tenant + "/" + id;
    }

    /** A new, unused input key of a tenant. */
    public static String newUpload(String tenant) {
        return upload(tenant, UUID.randomUUID());
    }

    /** The prefix under which a tenant's inputs lie. */
    public static String uploadPrefix(String tenant) {
        return UPLOADS + tenant + "/";
    }

    /**
     * Whether {@code key} is exactly {@code uploads/{tenant}/{uuid}}: nothing else (no deeper path, no {@code ..}, no
     * other tenant's prefix) names one of the tenant's inputs.
     */
    public static boolean isUploadOf(String tenant, String key) {
        if (tenant == null || key == null || !TENANT.matcher(tenant).matches()) {
            return false;
        }
        String prefix = uploadPrefix(tenant);
        if (!key.startsWith(prefix)) {
            return false;
        }
        String id = key.substring(prefix.length());
        try {
            return UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
