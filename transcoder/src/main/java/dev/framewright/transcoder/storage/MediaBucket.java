package dev.framewright.transcoder.storage;

import dev.framewright.events.OutputFile;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Downloads inputs and uploads outputs. Output keys are deterministic, so a retried job replaces, never duplicates. */
@ApplicationScoped
public class MediaBucket {

    private final S3Client s3;
    private final String bucket;

    public MediaBucket(S3Client s3, StorageConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    public static String outputKey(UUID jobId, String outputName, String fileName) {
        return "jobs/" + jobId + "/" + outputName + "/" + fileName;
    }

    /** @return false when the object does not exist */
    public boolean download(String key, Path target) {
        try {
            Files.deleteIfExists(target);
            s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(target));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public OutputFile upload(String path, String key, Path file, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
        try {
            return new OutputFile(path, key, Files.size(file), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
