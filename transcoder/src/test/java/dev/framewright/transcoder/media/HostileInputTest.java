package dev.framewright.transcoder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.framewright.events.FailureCode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that try to make FFmpeg read something other than themselves: playlists and concat scripts naming a local
 * canary file or an HTTP URL. Each attack is first shown to work on a plain grabber (so the test would notice a
 * weakened {@link FFmpegSupport#open}), then shown to be refused by it without touching the canary or the network.
 */
class HostileInputTest {

    @TempDir
    static Path dir;

    private static Path canary;
    private static ServerSocket http;
    private static final AtomicInteger connections = new AtomicInteger();

    @BeforeAll
    static void setUp() throws Exception {
        FFmpegSupport.init();
        canary = dir.resolve("canary.ts");
        writeTs(canary, 320, 240);
        http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!http.isClosed()) {
                try (Socket s = http.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "canary-http");
        accept.setDaemon(true);
        accept.start();
    }

    @AfterAll
    static void tearDown() throws IOException {
        http.close();
    }

    @Test
    void everyWhitelistedDemuxerExistsInThisFFmpegBuild() {
        for (String name : FFmpegSupport.SAFE_DEMUXERS.split(",")) {
            assertThat(avformat.av_find_input_format(name)).as("demuxer %s", name).isNotNull();
        }
        for (String unsafe : new String[] {"hls", "concat", "dash", "tty"}) {
            // present in the build, and not matched by the whitelist
            assertThat(avformat.av_find_input_format(unsafe)).as("demuxer %s", unsafe).isNotNull();
            assertThat(("," + FFmpegSupport.SAFE_DEMUXERS + ",")).doesNotContain("," + unsafe + ",");
        }
    }

    @Test
    void hlsPlaylistNamingALocalFileIsRefusedWithoutReadingIt() throws Exception {
        Path playlist = Files.writeString(dir.resolve("local.m3u8"), """
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:0
                #EXTINF:1.0,
                canary.ts
                #EXT-X-ENDLIST
                """);
        assertPlainGrabberReadsCanary(playlist);
        assertRefused(playlist);
    }

    @Test
    void ffconcatScriptNamingALocalFileIsRefusedWithoutReadingIt() throws Exception {
        Path script = Files.writeString(dir.resolve("list.ffconcat"), "ffconcat version 1.0\nfile 'canary.ts'\n");
        assertPlainGrabberReadsCanary(script);
        assertRefused(script);
    }

    @Test
    void playlistsAndScriptsNamingAnHttpUrlNeverConnect() throws Exception {
        String url = "http://127.0.0.1:" + http.getLocalPort() + "/segment.ts";
        Path playlist = Files.writeString(dir.resolve("remote.m3u8"), """
                #EXTM3U
                #EXT-X-TARGETDURATION:2
                #EXTINF:1.0,
                %s
                #EXT-X-ENDLIST
                """.formatted(url));
        Path script = Files.writeString(dir.resolve("remote.ffconcat"), "ffconcat version 1.0\nfile '" + url + "'\n");
        assertRefused(playlist);
        assertRefused(script);
        Thread.sleep(200); // an accepted connection would have been counted by now
        assertThat(connections.get()).as("connections to the canary HTTP server").isZero();
    }

    @Test
    void ordinaryMediaStillOpens() throws Exception {
        FFmpegFrameGrabber g = FFmpegSupport.open(canary, null);
        try {
            assertThat(g.getImageWidth()).isEqualTo(320);
        } finally {
            FFmpegSupport.closeQuietly(g);
        }
        assertThat(MediaProbe.probe(TestMedia.png400x300()).width()).isEqualTo(400);
        assertThat(MediaProbe.probe(TestMedia.clip640x480()).width()).isEqualTo(640);
    }

    @Test
    void pngBombIsRefusedFromItsHeader() throws Exception {
        // A PNG that declares 60000x60000 (3.6 Gpx) in its IHDR; the pixels are never there to decode.
        Path bomb = dir.resolve("bomb.png");
        Files.write(bomb, pngHeader(60_000, 60_000));
        assertThat(InputLimits.imageHeaderSize(bomb)).containsExactly(60_000, 60_000);
        MediaException e = catchThrowableOfType(MediaException.class, () -> MediaProbe.probe(bomb));
        assertThat(e.code()).isEqualTo(FailureCode.LIMITS_EXCEEDED);
        assertThat(e.getMessage()).contains("60000x60000");
    }

    @Test
    void webpHeaderSizeIsRead() throws Exception {
        byte[] vp8x = new byte[30];
        System.arraycopy("RIFF".getBytes(), 0, vp8x, 0, 4);
        System.arraycopy("WEBPVP8X".getBytes(), 0, vp8x, 8, 8);
        int w = 40_000 - 1;
        int h = 30_000 - 1;
        vp8x[24] = (byte) w;
        vp8x[25] = (byte) (w >> 8);
        vp8x[26] = (byte) (w >> 16);
        vp8x[27] = (byte) h;
        vp8x[28] = (byte) (h >> 8);
        vp8x[29] = (byte) (h >> 16);
        Path file = Files.write(dir.resolve("bomb.webp"), vp8x);
        assertThat(InputLimits.imageHeaderSize(file)).containsExactly(40_000, 30_000);
        MediaException e = catchThrowableOfType(MediaException.class, () -> MediaProbe.probe(file));
        assertThat(e.code()).isEqualTo(FailureCode.LIMITS_EXCEEDED);
    }

    private static void assertPlainGrabberReadsCanary(Path attack) throws Exception {
        // The attack is real: an unhardened grabber follows the reference and decodes the canary's pictures.
        try (FFmpegFrameGrabber plain = new FFmpegFrameGrabber(attack.toFile())) {
            plain.start();
            assertThat(plain.getImageWidth()).isEqualTo(320);
            assertThat(plain.grabImage()).isNotNull();
        }
    }

    private static void assertRefused(Path attack) {
        MediaException e = catchThrowableOfType(MediaException.class, () -> MediaProbe.probe(attack));
        assertThat(e).as("probing %s", attack.getFileName()).isNotNull();
        assertThat(e.code()).isEqualTo(FailureCode.UNSUPPORTED_MEDIA);
    }

    private static void writeTs(Path out, int width, int height) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), width, height, 0)) {
            r.setFormat("mpegts");
            r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG2VIDEO);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(25);
            r.start();
            ByteBuffer bgr = ByteBuffer.allocateDirect(width * height * 3);
            for (int f = 0; f < 25; f++) {
                r.recordImage(width, height, Frame.DEPTH_UBYTE, 3, width * 3, avutil.AV_PIX_FMT_BGR24, bgr);
            }
            r.stop();
        }
    }

    private static byte[] pngHeader(int width, int height) throws IOException {
        ByteBuffer ihdr = ByteBuffer.allocate(13).order(ByteOrder.BIG_ENDIAN);
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        var out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}); // a token stream
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        var crc = new java.util.zip.CRC32();
        crc.update(type.getBytes());
        crc.update(data);
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes()).put(data).putInt((int) crc.getValue());
        out.write(b.array());
    }
}
