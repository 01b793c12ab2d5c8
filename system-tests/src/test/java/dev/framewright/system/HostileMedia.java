package dev.framewright.system;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Hostile and broken inputs, generated (no binaries in the repository). */
final class HostileMedia {

    private HostileMedia() {
    }

    static Path zeroBytes(Path dir) throws IOException {
        return Files.write(dir.resolve("empty.mp4"), new byte[0]);
    }

    static Path textRenamedMp4(Path dir) throws IOException {
        return Files.writeString(dir.resolve("notes.mp4"), "minutes of the meeting, not a video\n".repeat(50));
    }

    /** The classic FFmpeg SSRF/LFI: an HLS playlist in disguise whose segment is a local file. */
    static Path hlsPlaylistToLocalFile(Path dir, Path canary) throws IOException {
        return Files.writeString(dir.resolve("movie.avi"), """
                #EXTM3U
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-TARGETDURATION:10
                #EXTINF:10.0,
                file://%s
                #EXT-X-ENDLIST
                """.formatted(canary));
    }

    static Path hlsPlaylistToUrl(Path dir, String url) throws IOException {
        return Files.writeString(dir.resolve("internal.mp4"), """
                #EXTM3U
                #EXT-X-TARGETDURATION:10
                #EXTINF:10.0,
                %s
                #EXT-X-ENDLIST
                """.formatted(url));
    }

    static Path concatScript(Path dir, Path canary) throws IOException {
        return Files.writeString(dir.resolve("list.mp4"), "ffconcat version 1.0\nfile '" + canary + "'\n");
    }

    /** A real MP4 cut to 60 %: its moov atom, written last, is gone. */
    static Path truncatedMp4(Path dir, Path clip) throws IOException {
        byte[] whole = Files.readAllBytes(clip);
        return Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(whole, whole.length * 6 / 10));
    }

    /** A plausible ftyp box followed by noise. */
    static Path mp4HeaderThenNoise(Path dir) throws IOException {
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        byte[] ftyp = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
        System.arraycopy(ftyp, 0, noise, 0, ftyp.length);
        return Files.write(dir.resolve("noise.mp4"), noise);
    }

    /** A PNG that declares width x height pixels but carries almost no data: decoding it would allocate gigabytes. */
    static Path pngBomb(Path dir, int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).order(ByteOrder.BIG_ENDIAN);
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        // Rows of zeros compress to almost nothing: a few KB stand for the whole image.
        Deflater deflater = new Deflater(9);
        byte[] row = new byte[1 + width * 3];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        for (int y = 0; y < Math.min(height, 64); y++) {
            deflater.setInput(row);
            int n;
            while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH)) > 0) {
                idat.write(buffer, 0, n);
            }
        }
        deflater.finish();
        int n;
        while ((n = deflater.deflate(buffer)) > 0) {
            idat.write(buffer, 0, n);
        }
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return Files.write(dir.resolve("bomb-" + width + "x" + height + ".png"), png.toByteArray());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A real JPEG whose frame header is patched to claim {@code size x size} pixels. */
    static Path jpegClaimingHugeSize(Path dir, int size) throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        byte[] jpeg = out.toByteArray();
        for (int i = 2; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) { // SOF0: length(2) precision(1) height(2) width(2)
                jpeg[i + 5] = (byte) (size >> 8);
                jpeg[i + 6] = (byte) size;
                jpeg[i + 7] = (byte) (size >> 8);
                jpeg[i + 8] = (byte) size;
                break;
            }
        }
        return Files.write(dir.resolve("huge.jpg"), jpeg);
    }

    /** A GIF whose screen and single image claim 65535 x 65535 pixels, carried by a few bytes of LZW data. */
    static Path gifBomb(Path dir) throws IOException {
        ByteBuffer gif = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        gif.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0xFFFF).putShort((short) 0xFFFF)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        gif.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) 0xFFFF).putShort((short) 0xFFFF)
                .put((byte) 0);
        gif.put((byte) 2).put((byte) 2).put((byte) 0x44).put((byte) 0x01).put((byte) 0).put((byte) 0x3B);
        return Files.write(dir.resolve("bomb.gif"), Arrays.copyOf(gif.array(), gif.position()));
    }

    /** A silent video whose second (and last) frame sits 10 hours in: tiny file, 10-hour duration. */
    static Path tenHourVideo(Path dir) throws IOException {
        Path out = dir.resolve("ten-hours.mp4");
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), 64, 64, 0)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodecName("mpeg4");
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(25);
            recorder.start();
            Frame frame = new Frame(64, 64, Frame.DEPTH_UBYTE, 3);
            recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
            recorder.setTimestamp(10L * 3600 * 1_000_000);
            recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
        }
        return out;
    }

    /** A short clip declaring 10,000 frames per second. */
    static Path absurdFrameRate(Path dir) throws IOException {
        Path out = dir.resolve("fast.mp4");
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), 64, 64, 0)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodecName("mpeg4");
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(10_000);
            recorder.start();
            Frame frame = new Frame(64, 64, Frame.DEPTH_UBYTE, 3);
            for (int i = 0; i < 20; i++) {
                recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
        }
        return out;
    }

    /** A Matroska file with {@code count} audio streams, each holding 20 ms of silence. */
    static Path thousandsOfStreams(Path dir, int count) throws IOException {
        Path out = dir.resolve("streams-" + count + ".mkv");
        AVFormatContext context = new AVFormatContext(null);
        if (avformat_alloc_output_context2(context, null, "matroska", out.toString()) < 0) {
            throw new IOException("no matroska muxer");
        }
        try {
            context.max_streams(count + 1); // the muxer's own cap is 1000
            for (int i = 0; i < count; i++) {
                AVStream stream = avformat_new_stream(context, null);
                stream.codecpar().codec_type(AVMEDIA_TYPE_AUDIO).codec_id(AV_CODEC_ID_PCM_S16LE).sample_rate(8000)
                        .bits_per_coded_sample(16);
                av_channel_layout_default(stream.codecpar().ch_layout(), 1);
                stream.time_base(av_make_q(1, 8000));
            }
            AVIOContext io = new AVIOContext(null);
            if (avio_open(io, out.toString(), AVIO_FLAG_WRITE) < 0) {
                throw new IOException("cannot open " + out);
            }
            context.pb(io);
            if (avformat_write_header(context, (org.bytedeco.ffmpeg.avutil.AVDictionary) null) < 0) {
                throw new IOException("cannot write the header");
            }
            // One packet of silence per stream, so that the file is a complete, readable Matroska.
            for (int i = 0; i < count; i++) {
                AVPacket packet = av_packet_alloc();
                av_new_packet(packet, 320);
                packet.stream_index(i).pts(0).dts(0).duration(160);
                av_interleaved_write_frame(context, packet);
                av_packet_free(packet);
            }
            av_write_trailer(context);
            avio_closep(context.pb());
        } finally {
            avformat_free_context(context);
        }
        return out;
    }
}
