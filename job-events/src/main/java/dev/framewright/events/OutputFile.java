package dev.framewright.events;

/**
 * A file an output produced, under {@code jobs/{jobId}/...} in the media bucket.
 *
 * @param key         object key
 * @param size        bytes
 * @param contentType MIME type it is served with
 */
public record OutputFile(String key, long size, String contentType) {
}
