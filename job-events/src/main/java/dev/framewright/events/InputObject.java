package dev.framewright.events;

/**
 * The uploaded input, as stored in the object store.
 *
 * @param key         object key in the media bucket
 * @param filename    the name the client uploaded it under, for humans only
 * @param contentType what the client claimed; the transcoder trusts only what it decodes
 * @param size        bytes
 */
public record InputObject(String key, String filename, String contentType, long size) {
}
