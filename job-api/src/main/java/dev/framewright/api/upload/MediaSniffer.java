package dev.framewright.api.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Recognises the media containers job-api accepts by their first bytes, never by file name or declared type.
 * It is an allow-list: text (HLS playlists, ffconcat scripts, HTML, JSON, scripts, in any Unicode encoding), empty
 * files and anything unrecognised answer empty, so FFmpeg is never handed a format that can reference other files
 * or URLs. It is the first gate only; the transcoder's demuxer whitelist is the enforcement.
 *
 * <p>Kinds: {@code mp4 mov matroska webm avi mpegts mpegps mpegvideo flv ogg mp3 wav flac aac jpeg png gif webp bmp tiff}.
 */
public final class MediaSniffer {

    /** How much of the start of a file is examined. */
    public static final int HEAD_BYTES = 64 * 1024;

    private static final int TS_PACKET = 188;

    private MediaSniffer() {
    }

    public static Optional<String> sniff(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sniff(in);
        }
    }

    /** Reads at most {@link #HEAD_BYTES} from the stream (it is not closed). */
    public static Optional<String> sniff(InputStream in) throws IOException {
        return sniff(in.readNBytes(HEAD_BYTES));
    }

    /** Sniffs the first bytes of a file (pass at least a few KiB when there are that many). */
    public static Optional<String> sniff(byte[] head) {
        if (head.length < 4 || looksLikeText(head)) {
            return Optional.empty();
        }
        return Optional.ofNullable(kind(head));
    }

    private static String kind(byte[] b) {
        if (at(b, 4, "ftyp") && u32be(b, 0) >= 8) {
            return at(b, 8, "qt  ") ? "mov" : "mp4";
        }
        // Old QuickTime files start with a moov, mdat, wide or free atom instead of ftyp.
        if ((at(b, 4, "moov") || at(b, 4, "mdat") || at(b, 4, "wide") || at(b, 4, "free")) && u32be(b, 0) >= 8) {
            return "mov";
        }
        if (bytes(b, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return contains(b, 64, "webm") ? "webm" : "matroska";
        }
        if (at(b, 0, "RIFF") && b.length >= 12) {
            if (at(b, 8, "AVI ")) {
                return "avi";
            }
            if (at(b, 8, "WAVE")) {
                return "wav";
            }
            if (at(b, 8, "WEBP") && at(b, 12, "VP8")) {
                return "webp";
            }
            return null;
        }
        if (mpegTs(b, 0, TS_PACKET) || mpegTs(b, 4, TS_PACKET + 4)) {
            return "mpegts";
        }
        if (bytes(b, 0, 0x00, 0x00, 0x01, 0xBA) && b.length > 4
                && ((b[4] & 0xC4) == 0x44 || (b[4] & 0xF1) == 0x21)) {
            return "mpegps";
        }
        if (bytes(b, 0, 0x00, 0x00, 0x01, 0xB3)) {
            return "mpegvideo";
        }
        if (at(b, 0, "FLV") && b[3] == 0x01) {
            return "flv";
        }
        if (at(b, 0, "OggS") && b.length > 4 && b[4] == 0) {
            return "ogg";
        }
        if (at(b, 0, "fLaC") && bytes(b, 5, 0x00, 0x00, 0x22) && (b[4] & 0x7F) == 0) {
            return "flac";
        }
        if (bytes(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "jpeg";
        }
        if (bytes(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "png";
        }
        if (at(b, 0, "GIF87a") || at(b, 0, "GIF89a")) {
            return "gif";
        }
        if (bmp(b)) {
            return "bmp";
        }
        if ((bytes(b, 0, 'I', 'I', 0x2A, 0x00) && u32le(b, 4) >= 8) || (bytes(b, 0, 'M', 'M', 0x00, 0x2A) && u32be(b, 4) >= 8)) {
            return "tiff";
        }
        if (id3(b)) {
            return "mp3";
        }
        if (adtsFrames(b)) {
            return "aac";
        }
        if (mp3Frames(b)) {
            return "mp3";
        }
        return null;
    }

    /** At least three consecutive transport packets: sync byte, no reserved scrambling or adaptation values. */
    private static boolean mpegTs(byte[] b, int first, int stride) {
        if (b.length < first + 2 * stride + 4) {
            return false;
        }
        for (int i = 0, at = first; i < 3; i++, at += stride) {
            if (b[at] != 0x47) {
                return false;
            }
            int flags = b[at + 3] & 0xFF;
            if ((flags >> 6) == 1 || ((flags >> 4) & 0x3) == 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean bmp(byte[] b) {
        if (b.length < 18 || !at(b, 0, "BM") || u32le(b, 6) != 0) {
            return false;
        }
        long dib = u32le(b, 14);
        return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124;
    }

    /** An ID3v2 tag: version 2 to 4 and a synchsafe size. */
    private static boolean id3(byte[] b) {
        return b.length >= 10 && at(b, 0, "ID3") && b[3] >= 2 && b[3] <= 4 && (b[4] & 0xFF) < 0xFF
                && (b[6] & 0x80) == 0 && (b[7] & 0x80) == 0 && (b[8] & 0x80) == 0 && (b[9] & 0x80) == 0;
    }

    /** Two consecutive ADTS frames: the first's length field must land on the second's sync word. */
    private static boolean adtsFrames(byte[] b) {
        int length = adtsFrameLength(b, 0);
        return length > 0 && adtsFrameLength(b, length) > 0;
    }

    private static int adtsFrameLength(byte[] b, int at) {
        if (b.length < at + 7 || (b[at] & 0xFF) != 0xFF || (b[at + 1] & 0xF6) != 0xF0 || ((b[at + 2] >> 2) & 0xF) > 12) {
            return -1;
        }
        int length = ((b[at + 3] & 0x03) << 11) | ((b[at + 4] & 0xFF) << 3) | ((b[at + 5] & 0xE0) >> 5);
        return length >= 7 ? length : -1;
    }

    // MPEG audio layer III bitrates (kbit/s) by index, for MPEG-1 and for MPEG-2/2.5.
    private static final int[] L3_V1 = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    private static final int[] L3_V2 = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
    private static final int[][] RATES = {{11025, 12000, 8000}, null, {22050, 24000, 16000}, {44100, 48000, 32000}};

    /** Two consecutive MP3 (layer III) frames without an ID3 tag: the first's size must land on the next header. */
    private static boolean mp3Frames(byte[] b) {
        int length = mp3FrameLength(b, 0);
        return length > 0 && mp3FrameLength(b, length) > 0;
    }

    private static int mp3FrameLength(byte[] b, int at) {
        if (b.length < at + 4 || (b[at] & 0xFF) != 0xFF || (b[at + 1] & 0xE0) != 0xE0) {
            return -1;
        }
        int version = (b[at + 1] >> 3) & 0x3; // 0: 2.5, 1: reserved, 2: 2, 3: 1
        int layer = (b[at + 1] >> 1) & 0x3;   // 1: layer III
        int bitrateIndex = (b[at + 2] >> 4) & 0xF;
        int rateIndex = (b[at + 2] >> 2) & 0x3;
        if (version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return -1;
        }
        int padding = (b[at + 2] >> 1) & 0x1;
        int rate = RATES[version][rateIndex];
        int bitrate = (version == 3 ? L3_V1 : L3_V2)[bitrateIndex] * 1000;
        return (version == 3 ? 144 : 72) * bitrate / rate + padding;
    }

    /**
     * Text in any common encoding: a Unicode byte-order mark, or a head that decodes as UTF-8 with no control
     * characters but whitespace. Playlists, concat scripts, HTML, JSON and scripts all are.
     */
    static boolean looksLikeText(byte[] b) {
        if (bytes(b, 0, 0xEF, 0xBB, 0xBF) || bytes(b, 0, 0xFF, 0xFE) || bytes(b, 0, 0xFE, 0xFF)) {
            return true;
        }
        int n = Math.min(b.length, 4096);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) {
                return false;
            }
        }
        // endOfInput=false: a multi-byte character cut off by the head's end is not an error.
        CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(b, 0, n), CharBuffer.allocate(n), false);
        return !result.isError();
    }

    private static boolean at(byte[] b, int offset, String ascii) {
        if (b.length < offset + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[offset + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean bytes(byte[] b, int offset, int... expected) {
        if (b.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] b, int limit, String ascii) {
        for (int i = 0; i + ascii.length() <= Math.min(b.length, limit); i++) {
            if (at(b, i, ascii)) {
                return true;
            }
        }
        return false;
    }

    private static long u32be(byte[] b, int at) {
        return b.length < at + 4 ? -1
                : ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static long u32le(byte[] b, int at) {
        return b.length < at + 4 ? -1
                : ((long) (b[at + 3] & 0xFF) << 24) | ((b[at + 2] & 0xFF) << 16) | ((b[at + 1] & 0xFF) << 8) | (b[at] & 0xFF);
    }
}
