package dev.framewright.api.storage;

import dev.framewright.events.rules.ObjectKeys;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The S3-compatible bucket, as job-api uses it: store inputs, read outputs, presign direct transfers. */
@ApplicationScoped
public class MediaStore {

    /** Where every input lives ({@code ObjectKeys}: {@code uploads/{tenant}/{uuid}}). */
    public static final String UPLOADS_PREFIX = "uploads/";

    private final S3Client s3;
    private final String bucket;
    private final S3Presigner presigner;

    /** The presigner is configured from the same settings as the S3 client, so its URLs point where the client goes. */
    public MediaStore(S3Client s3, StorageConfig config,
            @ConfigProperty(name = "quarkus.s3.endpoint-override") Optional<URI> endpoint,
            @ConfigProperty(name = "quarkus.s3.aws.region") String region,
            @ConfigProperty(name = "quarkus.s3.aws.credentials.static-provider.access-key-id") String accessKey,
            @ConfigProperty(name = "quarkus.s3.aws.credentials.static-provider.secret-access-key") String secretKey,
            @ConfigProperty(name = "quarkus.s3.path-style-access", defaultValue = "false") boolean pathStyle) {
        this.s3 = s3;
        this.bucket = config.bucket();
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
        endpoint.ifPresent(builder::endpointOverride);
        this.presigner = builder.build();
    }

    @PreDestroy
    void close() {
        presigner.close();
    }

    /** A new input key of a tenant: the contract's {@link ObjectKeys#newUpload}, which the transcoder checks. */
    public static String newInputKey(String tenant) {
        return ObjectKeys.newUpload(tenant);
    }

    /** Whether a key is one of this tenant's inputs; keys from clients are never trusted beyond this. */
    public static boolean isInputOf(String key, String tenant) {
        return ObjectKeys.isUploadOf(tenant, key);
    }

    /** Everything of one job (the contract's layout, {@link ObjectKeys}). */
    public static String jobPrefix(UUID jobId) {
        return ObjectKeys.jobPrefix(jobId);
    }

    public static String cancelKey(UUID jobId) {
        return ObjectKeys.cancel(jobId);
    }

    /** @return the stored object's ETag, which the job then pins */
    public String putFile(String key, Path file, String contentType) {
        return s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file)).eTag();
    }

    public void putBytes(String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    /** @return the object's metadata, or empty when there is no such object */
    public Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The start of an object and its total size, from one ranged GET.
     *
     * @param etag the ETag of the object those bytes are from (null only for an empty object)
     */
    public record Head(long size, String contentType, byte[] bytes, String etag) {
    }

    /**
     * One round trip instead of HEAD + GET: a GET of the first {@code n} bytes, whose {@code Content-Range}
     * ({@code bytes 0-(n-1)/size}) gives the object's size and whose body gives its first bytes.
     *
     * @return the head, or empty when there is no such object
     */
    public Optional<Head> readHead(String key, int n) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key)
                .range("bytes=0-" + (n - 1)))) {
            GetObjectResponse response = in.response();
            byte[] bytes = in.readNBytes(n);
            if (response.contentRange() == null) {
                // A store that ignores Range answers 200 with the whole object: only n bytes were read.
                in.abort();
            }
            return Optional.of(new Head(totalSize(response), response.contentType(), bytes, response.eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            if (e.statusCode() == 416) {
                // No byte 0: the object is empty.
                return Optional.of(new Head(0, null, new byte[0], null));
            }
            throw e;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The size after the slash of {@code Content-Range: bytes 0-99/1234}, or the length of a 200. */
    static long totalSize(GetObjectResponse response) {
        String range = response.contentRange();
        if (range == null) {
            return response.contentLength();
        }
        int slash = range.lastIndexOf('/');
        String total = range.substring(slash + 1).trim();
        if (slash < 0 || total.equals("*")) {
            throw new IllegalStateException("The store answered Content-Range '" + range + "' without the size");
        }
        return Long.parseLong(total);
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

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /** Deletes every object under a prefix; returns how many. */
    public int deletePrefix(String prefix) {
        int deleted = 0;
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            delete(object.key());
            deleted++;
        }
        return deleted;
    }

    /** A short-lived URL that GETs one object, answered with the given content type. */
    public URI presignGet(String key, String contentType, Duration ttl) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key(key).responseContentType(contentType)))
                .url().toString());
    }

    /**
     * A short-lived URL that PUTs exactly one object of exactly {@code size} bytes; the client must send the returned
     * headers. {@code Content-Length} is a signed header, so a PUT of any other length fails the signature (S3,
     * MinIO and S3Proxy alike), and the URL cannot be used to swap a larger object in after the job was accepted.
     */
    public PresignedPut presignPut(String key, String contentType, long size, Duration ttl) {
        var presigned = presigner.presignPutObject(p -> p.signatureDuration(ttl)
                .putObjectRequest(o -> o.bucket(bucket).key(key).contentType(contentType).contentLength(size)));
        Map<String, String> headers = new java.util.TreeMap<>();
        presigned.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name.equalsIgnoreCase("content-type") ? "Content-Type" : name, String.join(",", values));
            }
        });
        return new PresignedPut(URI.create(presigned.url().toString()), presigned.httpRequest().method().name(),
                headers, presigned.expiration());
    }

    public record PresignedPut(URI url, String method, Map<String, String> headers, java.time.Instant expiresAt) {
    }

    /** One stored part of a multipart upload, as ListParts reports it. */
    public record StoredPart(int number, long size, String etag) {
    }

    /** An unfinished multipart upload, as ListMultipartUploads reports it. */
    public record OpenMultipart(String key, String uploadId, java.time.Instant initiated) {
    }

    /** Starts an S3 multipart upload of one object; returns its upload id. */
    public String createMultipart(String key, String contentType) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
    }

    /**
     * A short-lived URL that PUTs part {@code number} of a multipart upload, of exactly {@code length} bytes:
     * {@code Content-Length} is signed as for {@link #presignPut}, so a part of another size fails the signature.
     */
    public PresignedPut presignPart(String key, String uploadId, int number, long length, Duration ttl) {
        var presigned = presigner.presignUploadPart(p -> p.signatureDuration(ttl).uploadPartRequest(u -> u
                .bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength(length)));
        Map<String, String> headers = new java.util.TreeMap<>();
        presigned.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new PresignedPut(URI.create(presigned.url().toString()), presigned.httpRequest().method().name(),
                headers, presigned.expiration());
    }

    /**
     * The parts stored so far, by part number (every page of ListParts).
     *
     * @return the parts, or empty when there is no such multipart upload (completed or aborted)
     */
    public Optional<java.util.List<StoredPart>> listParts(String key, String uploadId) {
        try {
            java.util.List<StoredPart> parts = new java.util.ArrayList<>();
            for (var part : s3.listPartsPaginator(b -> b.bucket(bucket).key(key).uploadId(uploadId)).parts()) {
                parts.add(new StoredPart(part.partNumber(), part.size(), part.eTag()));
            }
            parts.sort(java.util.Comparator.comparingInt(StoredPart::number));
            return Optional.of(parts);
        } catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Completes a multipart upload with these parts, in part-number order; returns the object's ETag. */
    public String completeMultipart(String key, String uploadId, java.util.List<StoredPart> parts) {
        var completed = parts.stream().sorted(java.util.Comparator.comparingInt(StoredPart::number))
                .map(p -> software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(p.number())
                        .eTag(p.etag()).build()).toList();
        return s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed))).eTag();
    }

    /** Aborts a multipart upload, deleting its parts; one that is already gone is not an error. */
    public void abortMultipart(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException e) {
            // already completed or aborted
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    /** The multipart uploads under a prefix that were neither completed nor aborted (every page). */
    public java.util.List<OpenMultipart> openMultiparts(String prefix) {
        java.util.List<OpenMultipart> open = new java.util.ArrayList<>();
        for (var upload : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).uploads()) {
            open.add(new OpenMultipart(upload.key(), upload.uploadId(), upload.initiated()));
        }
        return open;
    }

    /**
     * Stores a file as one S3 multipart upload of {@code plan}'s parts, PUT one after another, each read straight
     * from its range of the file (a re-readable stream, so the SDK can retry a part without buffering it): memory
     * stays constant whatever the size. A failure aborts the upload, so no parts are left behind.
     *
     * @return the object's ETag ({@code "hex-N"})
     */
    public String putFileMultipart(String key, Path file, String contentType, dev.framewright.api.upload.PartPlan plan) {
        String uploadId = createMultipart(key, contentType);
        try {
            java.util.List<StoredPart> parts = new java.util.ArrayList<>(plan.partCount());
            for (int n = 1; n <= plan.partCount(); n++) {
                long offset = plan.offset(n);
                long length = plan.length(n);
                int number = n;
                RequestBody body = RequestBody.fromContentProvider(() -> filePart(file, offset, length), length,
                        "application/octet-stream");
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength(length), body).eTag();
                parts.add(new StoredPart(number, length, etag));
            }
            return completeMultipart(key, uploadId, parts);
        } catch (RuntimeException e) {
            try {
                abortMultipart(key, uploadId);
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /** {@code length} bytes of a file from {@code offset}, as a stream of its own. */
    private static java.io.InputStream filePart(Path file, long offset, long length) {
        try {
            java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.READ);
            channel.position(offset);
            java.io.InputStream in = java.nio.channels.Channels.newInputStream(channel);
            return new java.io.FilterInputStream(in) {
                private long left = length;

                @Override
                public int read() throws java.io.IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws java.io.IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buffer, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public void checkBucket() {
        s3.headBucket(b -> b.bucket(bucket));
    }

    public String bucket() {
        return bucket;
    }
}
