package dev.framewright.events.rules;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The layout of the media bucket, shared by job-api, the transcoder and its redrive tool:
 * <ul>
 * <li>{@code uploads/{tenant}/{uuid}}: inputs, written by job-api (or a client's presigned PUT); the transcoder reads
 * only the job's tenant's. A key from a record or a client is trusted no further than {@link #isUploadOf}.
 * <li>{@code jobs/{id}/{output}/{path}}: the files of an output, written by the transcoder, served by job-api
 * (a manifest of a long file list is {@code jobs/{id}/{output}/_files.json}, see {@code OutputManifest}).
 * <li>{@code jobs/{id}/_control/{name}}: control objects ({@code cancel} written by job-api, see
 * {@code CancelRequest}; {@code attempts} and {@code claims/...} owned by the transcoder). Deleting a job's outputs
 * for a retry keeps them.
 * </ul>
 */
public final class ObjectKeys {

    /** What a tenant id looks like; it becomes a path segment of keys. */
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private static final String UPLOADS = "uploads/";
    private static final String JOBS = "jobs/";
    /** The folder of a job's control objects; no output is named so ({@code OutputSpec.NAME} has no underscore first). */
    public static final String CONTROL = "_control/";
    public static final String CANCEL = "cancel";
    public static final String ATTEMPTS = "attempts";
    /** Claims: objects created once with {@code If-None-Match: *}, so the store lets one creator win. */
    public static final String CLAIMS = "claims/";

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

    /** Everything of one job: its outputs and its control objects. */
    public static String jobPrefix(UUID jobId) {
        return JOBS + jobId + "/";
    }

    /** The prefix of one output's files. */
    public static String outputPrefix(UUID jobId, String output) {
        return jobPrefix(jobId) + output + "/";
    }

    /** One file of an output; {@code path} is relative to the output (checked by {@code OutputManifest.isSafePath}). */
    public static String outputFile(UUID jobId, String output, String path) {
        return outputPrefix(jobId, output) + path;
    }

    public static String controlPrefix(UUID jobId) {
        return jobPrefix(jobId) + CONTROL;
    }

    public static String control(UUID jobId, String name) {
        return controlPrefix(jobId) + name;
    }

    /** The cancel request job-api writes and every worker of the job polls. */
    public static String cancel(UUID jobId) {
        return control(jobId, CANCEL);
    }

    /** The transcoder's attempt count of the job. */
    public static String attempts(UUID jobId) {
        return control(jobId, ATTEMPTS);
    }

    /** Who runs attempt {@code attempt}. */
    public static String attemptClaim(UUID jobId, int attempt) {
        return control(jobId, CLAIMS + "attempt-" + attempt);
    }

    /** The one answer to the request made after {@code requestAttempt} attempts. */
    public static String answerClaim(UUID jobId, int requestAttempt) {
        return control(jobId, CLAIMS + "answer-" + requestAttempt);
    }
}
