package dev.framewright.events;

/**
 * A file an output produced, stored under {@code jobs/{jobId}/{outputName}/{path}} in the media bucket.
 *
 * @param path        relative to the output, e.g. {@code video.mp4} or {@code 720p/index.m3u8}; files of one output
 *                    refer to each other by these paths (HLS playlists, the sprite in a WebVTT track)
 * @param key         object key
 * @param size        bytes
 * @param contentType MIME type it is served with
 */
public record OutputFile(String path, String key, long size, String contentType) {
}
