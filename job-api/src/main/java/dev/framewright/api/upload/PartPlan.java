package dev.framewright.api.upload;

/**
 * How an object of {@code size} bytes is cut into S3 multipart parts: the one place these rules live, used for
 * direct multipart uploads ({@code POST /v1/uploads}) and for job-api's own streaming of large multipart
 * {@code POST /v1/jobs} bodies.
 *
 * <p>S3's rules: every part but the last is at least {@value #MIN_PART_BYTES} bytes (5 MiB), no part is more than
 * {@value #MAX_PART_BYTES} (5 GiB), there are at most {@value #MAX_PARTS} parts, and an object is at most
 * {@value #MAX_OBJECT_BYTES} (5 TiB). Parts are numbered from 1; all have {@link #partSize()} bytes except the last,
 * which has the rest (at least 1 byte, at most {@code partSize}).
 *
 * <p>The part size is the preferred one, raised to the smallest whole number of MiB that keeps the count at
 * {@value #MAX_PARTS} or fewer, and kept within the part limits.
 *
 * @param size      the object's bytes, at least 1
 * @param partSize  bytes of every part but the last
 * @param partCount how many parts, 1 to {@value #MAX_PARTS}
 */
public record PartPlan(long size, long partSize, int partCount) {

    public static final long MIB = 1024L * 1024;
    public static final long MIN_PART_BYTES = 5 * MIB;
    public static final long MAX_PART_BYTES = 5 * 1024 * MIB;
    public static final int MAX_PARTS = 10_000;
    public static final long MAX_OBJECT_BYTES = 5L * 1024 * 1024 * MIB;

    /**
     * @param preferredPartSize the deployment's {@code framewright.uploads.part-bytes}; clamped to the S3 limits
     * @throws IllegalArgumentException for a size below 1 or above {@value #MAX_OBJECT_BYTES}
     */
    public static PartPlan of(long size, long preferredPartSize) {
        if (size < 1 || size > MAX_OBJECT_BYTES) {
            throw new IllegalArgumentException("An S3 object is 1 to " + MAX_OBJECT_BYTES + " bytes, not " + size);
        }
        long fewestParts = ceilDiv(ceilDiv(size, MAX_PARTS), MIB) * MIB;
        long partSize = Math.min(MAX_PART_BYTES, Math.max(MIN_PART_BYTES, Math.max(preferredPartSize, fewestParts)));
        return new PartPlan(size, partSize, (int) ceilDiv(size, partSize));
    }

    /** Where part {@code number} (1-based) starts in the object. */
    public long offset(int number) {
        check(number);
        return (number - 1) * partSize;
    }

    /** Bytes of part {@code number} (1-based): {@link #partSize()}, or the rest for the last part. */
    public long length(int number) {
        check(number);
        return number < partCount ? partSize : size - (long) (partCount - 1) * partSize;
    }

    private void check(int number) {
        if (number < 1 || number > partCount) {
            throw new IllegalArgumentException("Part " + number + " is not between 1 and " + partCount);
        }
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
