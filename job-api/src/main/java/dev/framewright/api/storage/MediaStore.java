package dev.framewright.api.storage;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The S3-compatible bucket, as job-api uses it: store inputs, read outputs. */
@ApplicationScoped
public class MediaStore {

    private final S3Client s3;
    private final String bucket;

    public MediaStore(S3Client s3, StorageConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    /** The deterministic key of a job's input, so a retried upload replaces instead of duplicating. */
    public static String inputKey(UUID jobId) {
        return "uploads/" + jobId + "/input";
    }

    public void putInput(String key, Path file, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
    }

    /**
     * @param range an HTTP byte range ({@code bytes=0-99}) or null for the whole object
     * @return the object's stream, or null when it is gone
     */
    public ResponseInputStream<GetObjectResponse> open(String key, String range) {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key).range(range));
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    public void checkBucket() {
        s3.headBucket(b -> b.bucket(bucket));
    }

    public String bucket() {
        return bucket;
    }
}
