package dev.framewright.events;

import dev.framewright.events.rules.ObjectKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Every file of one output, stored as JSON beside them ({@code jobs/{jobId}/{output}/_files.json}) when they are too
 * many to list in the terminal event: an HLS ladder of a many-hour input, thousands of thumbnails. The transcoder
 * writes it before the terminal event; job-api serves files by it. The rules that keep a terminal event small live
 * here, once.
 */
public record OutputManifest(UUID jobId, String output, List<OutputFile> files) {

    /** The manifest's path inside its output (never a path an output file has: outputs name no file so). */
    public static final String FILE = "_files.json";

    /**
     * Serialized bytes of one output's file list a terminal event may carry; over it, the event lists principal files
     * only and points at the manifest. 32 outputs (the most a job has) × 16 KiB stay far below {@link #MAX_EVENT_BYTES}.
     */
    public static final int MAX_LISTED_BYTES = 16 * 1024;

    /**
     * The largest serialized terminal event the transcoder publishes. The brokers' and producers' default limit is
     * 1 MiB ({@code max.request.size}, {@code message.max.bytes}); this leaves room for headers and batch overhead.
     * An event still over it is replaced by a small {@code JobFailed output_too_large}.
     */
    public static final int MAX_EVENT_BYTES = 512 * 1024;

    /** Principal files listed beside the manifest besides playlists, tracks and sprites: the first of the rest. */
    static final int LISTED_OTHERS = 10;

    public static String key(UUID jobId, String output) {
        return ObjectKeys.outputFile(jobId, output, FILE);
    }

    /** Whether the whole list fits in a terminal event. */
    public static boolean fitsInEvent(List<OutputFile> files) {
        return listedBytes(files) <= MAX_LISTED_BYTES;
    }

    /**
     * What an event lists of an output when its files do not all fit: the files a client starts from (HLS playlists,
     * WebVTT tracks but not the WebVTT segments of HLS subtitles, sprites, JSON), then the first {@value #LISTED_OTHERS} others, in order, within
     * {@link #MAX_LISTED_BYTES}.
     */
    public static List<OutputFile> principal(List<OutputFile> files) {
        List<OutputFile> listed = new ArrayList<>();
        int others = 0;
        long bytes = 2;
        for (OutputFile f : files) {
            boolean principal = isPrincipal(f.path());
            if (!principal && others >= LISTED_OTHERS) {
                continue;
            }
            long size = listedBytes(List.of(f));
            if (bytes + size > MAX_LISTED_BYTES) {
                break;
            }
            bytes += size;
            listed.add(f);
            if (!principal) {
                others++;
            }
        }
        return listed;
    }

    private static boolean isPrincipal(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        // WebVTT segments of an HLS subtitle rendition are segments like the .ts ones: their playlist is principal
        boolean vttSegment = p.endsWith(".vtt") && p.substring(p.lastIndexOf('/') + 1).startsWith("seg-");
        return p.endsWith(".m3u8") || p.endsWith(".vtt") && !vttSegment || p.endsWith(".json")
                || p.contains("sprite");
    }

    private static long listedBytes(List<OutputFile> files) {
        return JobEventJson.size(files);
    }

    /**
     * Whether {@code path} may name a file of an output: relative, no {@code .} or {@code ..} segment, no empty
     * segment, no backslash, no control character, at most 512 characters. Checked before a path from a client is
     * looked up or turned into a key.
     */
    public static boolean isSafePath(String path) {
        if (path == null || path.isEmpty() || path.length() > 512 || path.startsWith("/") || path.indexOf('\\') >= 0) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogate(path, i)) {
                return false;
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
