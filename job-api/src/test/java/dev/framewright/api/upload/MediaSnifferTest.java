package dev.framewright.api.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MediaSnifferTest {

    static Stream<Arguments> media() throws IOException {
        return Stream.of(
                Arguments.of("mp4", concat(box("ftyp", ascii("isom"), be32(0x200), ascii("isomiso2avc1mp41")), box("free"))),
                Arguments.of("mov", concat(box("ftyp", ascii("qt  "), be32(0x200), ascii("qt  ")), box("wide"))),
                Arguments.of("mov", concat(box("mdat", new byte[64]), box("moov"))),
                Arguments.of("matroska", concat(bytes(0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x88),
                        ascii("matroska"), new byte[32])),
                Arguments.of("webm", concat(bytes(0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84),
                        ascii("webm"), new byte[32])),
                Arguments.of("avi", concat(ascii("RIFF"), le32(1000), ascii("AVI LIST"), le32(200), ascii("hdrlavih"), new byte[56])),
                Arguments.of("wav", concat(ascii("RIFF"), le32(1000), ascii("WAVEfmt "), le32(16), bytes(1, 0, 2, 0),
                        le32(48000), le32(192000), bytes(4, 0, 16, 0), ascii("data"), le32(0))),
                Arguments.of("webp", concat(ascii("RIFF"), le32(1000), ascii("WEBPVP8 "), le32(100), new byte[32])),
                Arguments.of("mpegts", transportStream(188, 0)),
                Arguments.of("mpegts", transportStream(192, 4)),
                Arguments.of("mpegps", concat(bytes(0x00, 0x00, 0x01, 0xBA, 0x44, 0x00, 0x04, 0x00, 0x04, 0x01, 0x01, 0x89, 0xC3, 0xF8),
                        new byte[32])),
                Arguments.of("mpegvideo", concat(bytes(0x00, 0x00, 0x01, 0xB3, 0x14, 0x00, 0xF0, 0x13), new byte[32])),
                Arguments.of("flv", concat(ascii("FLV"), bytes(0x01, 0x05, 0, 0, 0, 9, 0, 0, 0, 0), new byte[16])),
                Arguments.of("ogg", concat(ascii("OggS"), bytes(0x00, 0x02), new byte[20], bytes(0x01, 0x1E, 0x01), ascii("vorbis"))),
                Arguments.of("mp3", concat(ascii("ID3"), bytes(4, 0, 0, 0, 0, 0, 10), new byte[10], bytes(0xFF, 0xFB, 0x90, 0x64))),
                Arguments.of("mp3", mp3Frames()),
                Arguments.of("flac", concat(ascii("fLaC"), bytes(0x80, 0x00, 0x00, 0x22), new byte[34])),
                Arguments.of("aac", adtsFrames()),
                Arguments.of("jpeg", image("jpeg")),
                Arguments.of("png", image("png")),
                Arguments.of("gif", image("gif")),
                Arguments.of("bmp", image("bmp")),
                Arguments.of("tiff", image("tiff")),
                Arguments.of("tiff", concat(bytes('M', 'M', 0x00, 0x2A), be32(8), new byte[32])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("media")
    void recognisesMediaByItsBytes(String kind, byte[] head) throws IOException {
        assertThat(MediaSniffer.sniff(head)).contains(kind);
        assertThat(MediaSniffer.sniff(new ByteArrayInputStream(head))).contains(kind);
    }

    static Stream<Arguments> hostile() {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        byte[] fakeTs = new byte[188 * 4];
        for (int i = 0; i < fakeTs.length; i += 188) {
            fakeTs[i] = 0x47; // sync bytes, but adaptation_field_control 00 is reserved
        }
        byte[] oneMp3Frame = concat(bytes(0xFF, 0xFB, 0x90, 0x64), new byte[100]);
        return Stream.of(
                Arguments.of("HLS playlist", utf8("#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:10,\nhttp://169.254.169.254/latest/meta-data\n")),
                Arguments.of("HLS playlist in UTF-16LE", concat(bytes(0xFF, 0xFE), "#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n"
                        .getBytes(StandardCharsets.UTF_16LE))),
                Arguments.of("HLS playlist in UTF-16BE", concat(bytes(0xFE, 0xFF), "#EXTM3U\n".getBytes(StandardCharsets.UTF_16BE))),
                Arguments.of("ffconcat script", utf8("ffconcat version 1.0\nfile '/etc/passwd'\n")),
                Arguments.of("ffconcat with BOM", concat(bytes(0xEF, 0xBB, 0xBF), utf8("ffconcat version 1.0\nfile 'x.mp4'\n"))),
                Arguments.of("HTML", utf8("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")),
                Arguments.of("JSON", utf8("{\"outputs\": [{\"name\": \"x\"}], \"é\": \"ü\"}")),
                Arguments.of("shell script", utf8("#!/bin/sh\nrm -rf / --no-preserve-root\n")),
                Arguments.of("SVG", utf8("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>")),
                Arguments.of("DASH manifest", utf8("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"><Period/></MPD>")),
                Arguments.of("SDP", utf8("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\nm=video 5004 RTP/AVP 96\r\n")),
                Arguments.of("text that starts like an MP4", utf8("0000ftypisom but actually words")),
                Arguments.of("text that starts like a GIF", utf8("GIF89a is a nice format, says this text file")),
                Arguments.of("empty", new byte[0]),
                Arguments.of("three bytes", bytes(0x1A, 0x45, 0xDF)),
                Arguments.of("ZIP", concat(ascii("PK"), bytes(3, 4, 20, 0, 0, 0, 8, 0), new byte[30])),
                Arguments.of("ELF executable", concat(bytes(0x7F, 'E', 'L', 'F', 2, 1, 1, 0), new byte[56])),
                Arguments.of("PDF", concat(ascii("%PDF-1.7\n%"), bytes(0xE2, 0xE3, 0xCF, 0xD3, '\n'), new byte[40])),
                Arguments.of("fake MPEG-TS", fakeTs),
                Arguments.of("a single MP3 frame header", oneMp3Frame),
                Arguments.of("ID3 with a bad version", concat(ascii("ID3"), bytes(0xFF, 0, 0, 0, 0, 0, 10), new byte[20])),
                Arguments.of("BM without a bitmap header", concat(ascii("BM"), new byte[30])),
                Arguments.of("RIFF of an unknown kind", concat(ascii("RIFF"), le32(100), ascii("CDXA"), new byte[40])),
                Arguments.of("random bytes", random));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void rejectsTextAndUnknowns(String what, byte[] head) {
        assertThat(MediaSniffer.sniff(head)).isEmpty();
    }

    @Test
    void sniffsAFileByContentNotName(@TempDir Path dir) throws IOException {
        Path disguised = dir.resolve("clip.mp4");
        Files.writeString(disguised, "#EXTM3U\n#EXTINF:10,\nhttp://example.com/a.ts\n");
        assertThat(MediaSniffer.sniff(disguised)).isEmpty();
        Path png = dir.resolve("notes.txt");
        Files.write(png, image("png"));
        assertThat(MediaSniffer.sniff(png)).contains("png");
    }

    @Test
    void textCutMidCharacterIsStillText() {
        byte[] text = utf8("é".repeat(3000)); // 6000 bytes: the 4096-byte window ends inside no character
        byte[] cut = java.util.Arrays.copyOf(text, 4097); // and here inside one
        assertThat(MediaSniffer.looksLikeText(text)).isTrue();
        assertThat(MediaSniffer.looksLikeText(cut)).isTrue();
    }

    // --- generators ---

    private static byte[] transportStream(int stride, int prefix) {
        byte[] ts = new byte[stride * 4];
        java.util.Arrays.fill(ts, (byte) 0xFF);
        for (int at = 0; at < ts.length; at += stride) {
            for (int i = 0; i < prefix; i++) {
                ts[at + i] = 0; // M2TS timestamp
            }
            ts[at + prefix] = 0x47;
            ts[at + prefix + 1] = 0x40;
            ts[at + prefix + 2] = 0x00;
            ts[at + prefix + 3] = 0x10; // payload only, not scrambled
        }
        return ts;
    }

    /** Two MPEG-1 layer III frames, 128 kbit/s, 44.1 kHz: 417 bytes each. */
    private static byte[] mp3Frames() {
        byte[] frames = new byte[417 * 2 + 10];
        for (int at : new int[] {0, 417}) {
            frames[at] = (byte) 0xFF;
            frames[at + 1] = (byte) 0xFB;
            frames[at + 2] = (byte) 0x90;
            frames[at + 3] = (byte) 0x64;
        }
        return frames;
    }

    /** Two ADTS frames of 100 bytes (AAC LC, 44.1 kHz, stereo). */
    private static byte[] adtsFrames() {
        int length = 100;
        byte[] frames = new byte[length * 2 + 10];
        for (int at : new int[] {0, length}) {
            frames[at] = (byte) 0xFF;
            frames[at + 1] = (byte) 0xF1;
            frames[at + 2] = (byte) 0x50;
            frames[at + 3] = (byte) (0x80 | ((length >> 11) & 0x3));
            frames[at + 4] = (byte) ((length >> 3) & 0xFF);
            frames[at + 5] = (byte) (((length & 0x7) << 5) | 0x1F);
            frames[at + 6] = (byte) 0xFC;
        }
        return frames;
    }

    static byte[] image(String format) throws IOException {
        BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, 0xFF0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IllegalStateException("No ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    private static byte[] box(String type, byte[]... content) {
        byte[] body = concat(content);
        return concat(be32(8 + body.length), ascii(type), body);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] be32(long v) {
        return bytes((int) (v >> 24) & 0xFF, (int) (v >> 16) & 0xFF, (int) (v >> 8) & 0xFF, (int) v & 0xFF);
    }

    private static byte[] le32(long v) {
        return bytes((int) v & 0xFF, (int) (v >> 8) & 0xFF, (int) (v >> 16) & 0xFF, (int) (v >> 24) & 0xFF);
    }
}
