package dev.framewright.transcoder.storage;

import dev.framewright.events.OutputFile;
import dev.framewright.events.rules.ObjectKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Downloads inputs, uploads outputs, keeps the job's control objects. Output keys are deterministic, so a retried
 * job replaces, never duplicates. Network errors and 5xx answers become {@link StorageUnavailableException}
 * (transient); anything else the store says is a bug on our side and stays an {@link S3Exception}.
 */
@ApplicationScoped
public class MediaBucket {

    private final S3Client s3;
    private final String bucket;

    public MediaBucket(S3Client s3, StorageConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    /** What {@link #download} found. */
    public enum Download {
        /** The object is in {@code target}. */
        DONE,
        /** There is no such object. */
        MISSING,
        /** The object is not the pinned one (another ETag, or longer than the accepted size). */
        CHANGED,
        /** The object is larger than the byte cap; nothing past the cap was read. */
        TOO_LARGE
    }

    /**
     * Downloads one object, reading at most {@code maxBytes}: a declared length above the cap is refused before a
     * byte is read, and a body that runs past it is cut off there. With an {@code etag}, only that object: the GET
     * is conditional ({@code If-Match}, a 412 means it changed), and the ETag of the answer is compared as well, for
     * a store that ignores the condition.
     *
     * @param etag the ETag the job was accepted with, or null when the request did not pin one
     */
    public Download download(String key, Path target, String etag, long maxBytes) {
        return guarded("download " + key, () -> {
            try {
                Files.deleteIfExists(target);
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> {
                    b.bucket(bucket).key(key);
                    if (etag != null) {
                        b.ifMatch(etag);
                    }
                })) {
                    GetObjectResponse response = in.response();
                    if (etag != null && !sameEtag(etag, response.eTag())) {
                        in.abort();
                        return Download.CHANGED;
                    }
                    if (response.contentLength() != null && response.contentLength() > maxBytes) {
                        in.abort();
                        return Download.TOO_LARGE;
                    }
                    long copied;
                    try (OutputStream out = Files.newOutputStream(target)) {
                        copied = copy(in, out, maxBytes + 1);
                    }
                    if (copied > maxBytes) {
                        in.abort();
                        Files.deleteIfExists(target);
                        return Download.TOO_LARGE;
                    }
                    return Download.DONE;
                }
            } catch (NoSuchKeyException e) {
                return Download.MISSING;
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    return Download.CHANGED;
                }
                if (e.statusCode() == 404) {
                    return Download.MISSING;
                }
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** ETags compare without their quotes (and a weak prefix): stores differ in how they send them. */
    static boolean sameEtag(String expected, String actual) {
        return actual != null && bare(expected).equals(bare(actual));
    }

    private static String bare(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    /** Copies at most {@code limit} bytes; returns how many. */
    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        while (total < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    public OutputFile upload(String path, String key, Path file, String contentType) {
        guarded("upload " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromFile(file)));
        try {
            return new OutputFile(path, key, Files.size(file), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small object's bytes, or empty when it does not exist. */
    public Optional<byte[]> read(String key) {
        return guarded("read " + key, () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    public void write(String key, byte[] content, String contentType) {
        guarded("write " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromBytes(content)));
    }

    /**
     * Creates the object only if none exists under {@code key} ({@code If-None-Match: *}), atomically on AWS S3, MinIO
     * and S3Proxy 4.1 alike.
     *
     * @return false when it existed already (412 Precondition Failed), in which case nothing was written
     */
    public boolean create(String key, byte[] content, String contentType) {
        return guarded("create " + key, () -> {
            try {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*"),
                        RequestBody.fromBytes(content));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Deletes every object of the job (its outputs, partial or complete) except the {@code _control/} objects. */
    public int deleteOutputs(UUID jobId) {
        String prefix = ObjectKeys.jobPrefix(jobId);
        String control = ObjectKeys.controlPrefix(jobId);
        return guarded("delete outputs of " + jobId, () -> {
            List<ObjectIdentifier> doomed = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                if (!o.key().startsWith(control)) {
                    doomed.add(ObjectIdentifier.builder().key(o.key()).build());
                }
            }
            for (int i = 0; i < doomed.size(); i += 1000) {
                List<ObjectIdentifier> batch = doomed.subList(i, Math.min(doomed.size(), i + 1000));
                s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
            }
            return doomed.size();
        });
    }

    /** Keys under a prefix (tests and operators). */
    public List<String> list(String prefix) {
        return guarded("list " + prefix, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                .contents().stream().map(S3Object::key).toList());
    }

    private static <T> T guarded(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkClientException e) {
            throw new StorageUnavailableException("Object storage unreachable (" + what + ")", e);
        } catch (S3Exception e) {
            if (e.statusCode() >= 500 || e.statusCode() == 429) {
                throw new StorageUnavailableException("Object storage failed with " + e.statusCode() + " (" + what
                        + ")", e);
            }
            throw e;
        }
    }
}
