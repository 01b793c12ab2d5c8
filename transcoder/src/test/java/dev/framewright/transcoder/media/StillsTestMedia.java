package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Inputs for the still tests, generated in Java next to {@link TestMedia}'s: a clip whose frames show their own
 * number, a file with one video and two audio streams, and test-pattern images.
 */
final class StillsTestMedia {

    static {
        FFmpegSupport.init();
    }

    static final int COUNTER_FPS = 10;
    static final int COUNTER_SECONDS = 8;
    static final int COUNTER_FRAMES = COUNTER_FPS * COUNTER_SECONDS;
    /** Key frame interval of the counter clip, in frames (one a second, no scene-cut key frames between). */
    static final int COUNTER_GOP = 10;
    /** Bits of the frame number drawn, after one always-white reference cell. */
    private static final int BITS = 7;

    private static final Map<String, Path> CACHE = new HashMap<>();

    private StillsTestMedia() {
    }

    /**
     * 8 s, 192x108 (16:9), 10 fps H.264 with B-frames and a key frame every second, no audio. The top half of frame n
     * is 8 cells: white, then the 7 bits of n (white 1, black 0); the bottom half is grey.
     */
    static synchronized Path counterClip() {
        return CACHE.computeIfAbsent("counter.mp4", StillsTestMedia::makeCounterClip);
    }

    /** The frame number drawn in (any scaled copy of) a counter clip frame. */
    static int frameNumber(BufferedImage image) {
        int cells = BITS + 1;
        int y = image.getHeight() / 4;
        int n = 0;
        for (int c = 1; c < cells; c++) {
            int x = (int) ((c + 0.5) * image.getWidth() / cells);
            n = (n << 1) | (luma(image.getRGB(x, y)) > 128 ? 1 : 0);
        }
        int reference = luma(image.getRGB(image.getWidth() / (2 * cells), y));
        if (reference < 200) {
            throw new AssertionError("not a counter frame: the reference cell is " + reference);
        }
        return n;
    }

    private static int luma(int rgb) {
        return (299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) / 1000;
    }

    private static Path makeCounterClip(String name) {
        Path out = TestMedia.output(name);
        int width = 192;
        int height = 108;
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), width, height, 0)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodecName("libx264");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(COUNTER_FPS);
            recorder.setGopSize(COUNTER_GOP);
            recorder.setVideoOption("preset", "superfast"); // has B-frames, so decoding reorders
            recorder.setVideoOption("crf", "18");
            recorder.setVideoOption("x264-params", "scenecut=0:min-keyint=" + COUNTER_GOP + ":keyint=" + COUNTER_GOP);
            recorder.start();
            int stride = width * 3;
            ByteBuffer bgr = ByteBuffer.allocateDirect(stride * height);
            int cell = width / (BITS + 1);
            for (int f = 0; f < COUNTER_FRAMES; f++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int v;
                        if (y < height / 2) {
                            int c = x / cell;
                            v = c == 0 || ((f >> (BITS - c)) & 1) == 1 ? 255 : 0;
                        } else {
                            v = 128;
                        }
                        int i = y * stride + x * 3;
                        bgr.put(i, (byte) v).put(i + 1, (byte) v).put(i + 2, (byte) v);
                    }
                }
                recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 3, stride, avutil.AV_PIX_FMT_BGR24, bgr);
            }
            recorder.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate " + name, e);
        }
        return out;
    }

    /**
     * The counter clip re-encoded into another container: {@code mpegts} (H.264; seeks by timestamp search, landing
     * after key frames), {@code webm} (VP9) or raw {@code h264} (no timestamps, no duration). Same frames, same key
     * frame interval.
     */
    static synchronized Path counterClipAs(String format) {
        Path source = counterClip(); // not inside computeIfAbsent: that one would modify the map it runs in
        return CACHE.computeIfAbsent("counter." + format, name -> {
            Path out = TestMedia.output(name);
            boolean vp9 = format.equals("webm");
            try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source.toFile())) {
                grabber.start();
                try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), 192, 108, 0)) {
                    recorder.setFormat(format);
                    recorder.setVideoCodecName(vp9 ? "libvpx-vp9" : "libx264");
                    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                    recorder.setFrameRate(COUNTER_FPS);
                    recorder.setGopSize(COUNTER_GOP);
                    if (vp9) {
                        recorder.setVideoOption("deadline", "realtime");
                        recorder.setVideoOption("cpu-used", "8");
                        recorder.setVideoOption("crf", "20");
                        recorder.setVideoBitrate(0);
                    } else {
                        recorder.setVideoOption("preset", "superfast");
                        recorder.setVideoOption("x264-params",
                                "scenecut=0:min-keyint=" + COUNTER_GOP + ":keyint=" + COUNTER_GOP);
                    }
                    recorder.start();
                    Frame frame;
                    while ((frame = grabber.grabImage()) != null) {
                        recorder.record(frame);
                    }
                    recorder.stop();
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot generate " + name, e);
            }
            return out;
        });
    }

    /**
     * An MP4 with three streams: 640x480 25 fps H.264 (1 s, {@link TestMedia#clip640x480()}), 48 kHz stereo AAC
     * tagged {@code eng}, 44.1 kHz mono AAC tagged {@code fra}.
     */
    static synchronized Path videoWithTwoAudios() {
        return CACHE.computeIfAbsent("two-audios.mp4", name -> {
            Path stereo = TestMedia.output("stereo48k.m4a");
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(stereo.toFile(), 2)) {
                recorder.setFormat("mp4");
                recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                recorder.setAudioBitrate(96_000);
                recorder.setSampleRate(48_000);
                recorder.start();
                ShortBuffer pcm = ShortBuffer.allocate(2 * 1024);
                for (int done = 0; done < 48_000; done += 1024) {
                    for (int i = 0; i < 1024; i++) {
                        short v = (short) (6000 * Math.sin(2 * Math.PI * 330 * (done + i) / 48_000.0));
                        pcm.put(2 * i, v).put(2 * i + 1, v);
                    }
                    recorder.recordSamples(48_000, 2, pcm);
                }
                recorder.stop();
            } catch (Exception e) {
                throw new IllegalStateException("cannot generate stereo audio", e);
            }
            Path out = TestMedia.output(name);
            remux(out, List.of(TestMedia.clip640x480(), stereo, TestMedia.audioOnly()),
                    List.of("und", "eng", "fra"));
            return out;
        });
    }

    /** Copies the first stream of each input into one MP4, with the given language tags. */
    private static void remux(Path out, List<Path> inputs, List<String> languages) {
        AVFormatContext oc = new AVFormatContext(null);
        if (avformat_alloc_output_context2(oc, null, "mp4", out.toString()) < 0) {
            throw new IllegalStateException("no mp4 muxer");
        }
        AVFormatContext[] ins = new AVFormatContext[inputs.size()];
        AVPacket pkt = av_packet_alloc();
        try {
            for (int i = 0; i < ins.length; i++) {
                ins[i] = new AVFormatContext(null);
                if (avformat_open_input(ins[i], inputs.get(i).toString(), null, null) < 0
                        || avformat_find_stream_info(ins[i], (PointerPointer<?>) null) < 0) {
                    throw new IllegalStateException("cannot open " + inputs.get(i));
                }
                AVStream is = ins[i].streams(0);
                AVStream os = avformat_new_stream(oc, null);
                avcodec_parameters_copy(os.codecpar(), is.codecpar());
                os.codecpar().codec_tag(0);
                os.time_base(is.time_base());
                AVDictionary md = new AVDictionary(null);
                av_dict_set(md, "language", languages.get(i), 0);
                os.metadata(md);
            }
            AVIOContext pb = new AVIOContext(null);
            if (avio_open(pb, out.toString(), AVIO_FLAG_WRITE) < 0) {
                throw new IllegalStateException("cannot write " + out);
            }
            oc.pb(pb);
            if (avformat_write_header(oc, (AVDictionary) null) < 0) {
                throw new IllegalStateException("cannot write the header of " + out);
            }
            for (int i = 0; i < ins.length; i++) {
                AVStream is = ins[i].streams(0);
                AVStream os = oc.streams(i);
                while (av_read_frame(ins[i], pkt) >= 0) {
                    if (pkt.stream_index() == 0) {
                        pkt.stream_index(i);
                        av_packet_rescale_ts(pkt, is.time_base(), os.time_base());
                        pkt.pos(-1);
                        av_interleaved_write_frame(oc, pkt);
                    }
                    av_packet_unref(pkt);
                }
            }
            av_write_trailer(oc);
        } finally {
            av_packet_free(pkt);
            for (AVFormatContext in : ins) {
                if (in != null) {
                    avformat_close_input(in);
                }
            }
            if (oc.pb() != null) {
                avio_closep(oc.pb());
            }
            avformat_free_context(oc);
        }
    }

    /**
     * A 400x300 (4:3) pattern: a red band on the left (x &lt; 50), a blue band on the right (x &gt;= 350), green in
     * between, written with ImageIO as {@code format} (png, jpeg, bmp, gif, tiff).
     */
    static synchronized Path pattern43(String format) {
        return CACHE.computeIfAbsent("pattern43." + format, name -> {
            BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = img.createGraphics();
            try {
                g.setColor(Color.GREEN);
                g.fillRect(0, 0, 400, 300);
                g.setColor(Color.RED);
                g.fillRect(0, 0, 50, 300);
                g.setColor(Color.BLUE);
                g.fillRect(350, 0, 50, 300);
            } finally {
                g.dispose();
            }
            return write(img, format, name);
        });
    }

    /** A 64x48 PNG with alpha: the left half fully transparent, the right half opaque red. */
    static synchronized Path alphaPng() {
        return CACHE.computeIfAbsent("alpha.png", name -> {
            BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    img.setRGB(x, y, x < 32 ? 0x00000000 : 0xFFFF0000);
                }
            }
            return write(img, "png", name);
        });
    }

    private static Path write(BufferedImage img, String format, String name) {
        Path out = TestMedia.output(name);
        try {
            if (!ImageIO.write(img, format, out.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * Decodes an image file with FFmpeg (independently of the code under test) into ARGB, alpha kept: works for WebP,
     * which ImageIO cannot read.
     */
    static BufferedImage decode(Path file) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_BGRA);
            grabber.start();
            Frame frame = grabber.grabImage();
            ByteBuffer buf = (ByteBuffer) frame.image[0];
            BufferedImage img = new BufferedImage(frame.imageWidth, frame.imageHeight, BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < frame.imageHeight; y++) {
                for (int x = 0; x < frame.imageWidth; x++) {
                    int o = y * frame.imageStride + x * 4;
                    int b = buf.get(o) & 0xff;
                    int g = buf.get(o + 1) & 0xff;
                    int r = buf.get(o + 2) & 0xff;
                    int a = buf.get(o + 3) & 0xff;
                    img.setRGB(x, y, (a << 24) | (r << 16) | (g << 8) | b);
                }
            }
            return img;
        }
    }

    /** Reads an image with the JDK (JPEG, PNG). */
    static BufferedImage read(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("ImageIO cannot read " + file);
        }
        return img;
    }

    static String text(Path file) throws IOException {
        return Files.readString(file);
    }
}
