package dev.framewright.events;

/**
 * The uploaded input, as stored in the object store.
 *
 * @param key         object key in the media bucket
 * @param filename    the name the client uploaded it under, for humans only
 * @param contentType what the client claimed; the transcoder trusts only what it decodes
 * @param size        bytes of the object job-api accepted; the transcoder reads no more than this
 * @param etag        the ETag of the object job-api accepted (sniffed or stored), or null in records written before
 *                    it was pinned: the transcoder downloads only that object, so an input overwritten after
 *                    acceptance (a presigned PUT is valid until it expires) fails {@code input_changed}
 */
public record InputObject(String key, String filename, String contentType, long size, String etag) {

    /** An input whose object identity is not pinned (tests, records written before {@code etag}). */
    public InputObject(String key, String filename, String contentType, long size) {
        this(key, filename, contentType, size, null);
    }
}
