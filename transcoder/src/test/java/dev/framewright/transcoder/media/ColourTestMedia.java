package dev.framewright.transcoder.media;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * HDR and variable-frame-rate inputs, generated with JavaCV's recorder (see {@link TestMedia} for why not the CLI).
 *
 * <p>The HDR clips are 10-bit HEVC (libx265) tagged BT.2020 with PQ or HLG, as phones record: the left half of the
 * picture is one flat grey level and the right half another, given as 10-bit limited-range luma codes (chroma
 * neutral), so a decoded output's luma on each half shows what the pipeline made of a known level.
 */
final class ColourTestMedia {

    /** PQ codes (10-bit, limited range) of 100 and 1000 cd/m2: 64 + 876 x PQ(L / 10000). */
    static final int PQ_100_NITS = 509;
    static final int PQ_1000_NITS = 723;
    /** HLG codes of 50 % and 75 % signal (75 %: BT.2408's HDR reference white). */
    static final int HLG_50 = 502;
    static final int HLG_75 = 721;

    static final int WIDTH = 640;
    static final int HEIGHT = 360;

    /** VFR clip: the times (s) a white flash starts on screen and a 1 kHz beep starts in the audio, together. */
    static final double[] SYNC_MARKS = {0.5, 3.5};
    static final double VFR_SECONDS = 4.0;

    private static final Map<String, Path> CACHE = new HashMap<>();

    private ColourTestMedia() {
    }

    /** 1 s at 25 fps of 10-bit HEVC PQ (SMPTE 2084) BT.2020: left 100 nits, right 1000 nits. */
    static synchronized Path pq() {
        return CACHE.computeIfAbsent("pq.mp4", n -> hevc10(n, "smpte2084", PQ_100_NITS, PQ_1000_NITS));
    }

    /** 1 s at 25 fps of 10-bit HEVC HLG (ARIB STD-B67) BT.2020: left 50 %, right 75 % signal. */
    static synchronized Path hlg() {
        return CACHE.computeIfAbsent("hlg.mp4", n -> hevc10(n, "arib-std-b67", HLG_50, HLG_75));
    }

    private static Path hevc10(String name, String transfer, int left, int right) {
        Path out = TestMedia.newDir().resolve(name);
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), WIDTH, HEIGHT, 0)) {
            r.setFormat("mp4");
            r.setVideoCodecName("libx265");
            r.setVideoCodec(avcodec.AV_CODEC_ID_HEVC);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P10LE);
            r.setFrameRate(25);
            r.setVideoOption("preset", "ultrafast");
            r.setVideoOption("crf", "12");
            r.setVideoOption("x265-params", "log-level=error");
            r.setVideoOption("color_primaries", "bt2020");
            r.setVideoOption("color_trc", transfer);
            r.setVideoOption("colorspace", "bt2020nc");
            r.setVideoOption("color_range", "tv");
            r.start();
            ByteBuffer picture = halves10(left, right);
            for (int f = 0; f < 25; f++) {
                r.recordImage(WIDTH, HEIGHT, Frame.DEPTH_UBYTE, 1, WIDTH * 2, avutil.AV_PIX_FMT_YUV420P10LE,
                        picture.duplicate().rewind());
            }
            r.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate " + name, e);
        }
        return out;
    }

    /** Packed yuv420p10le, little endian: luma {@code left} / {@code right} by halves, chroma 512. */
    private static ByteBuffer halves10(int left, int right) {
        int lumaSize = WIDTH * HEIGHT;
        int chromaSize = lumaSize / 4;
        ByteBuffer b = ByteBuffer.allocateDirect((lumaSize + 2 * chromaSize) * 2).order(ByteOrder.LITTLE_ENDIAN);
        ShortBuffer s = b.asShortBuffer();
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                s.put((short) (x < WIDTH / 2 ? left : right));
            }
        }
        for (int i = 0; i < 2 * chromaSize; i++) {
            s.put((short) 512);
        }
        return b;
    }

    /**
     * 4 s of 320x240 H.264 at a variable frame rate, as a phone writes it (1 ms time base): about 30 fps with jitter,
     * a slow low-light stretch at 15 fps, a 60 fps burst, and 48 kHz mono AAC. Black, with a white flash of 0.1 s on
     * screen and a 1 kHz beep of 0.1 s in the audio both starting at each of {@link #SYNC_MARKS}.
     */
    static synchronized Path vfr() {
        return CACHE.computeIfAbsent("vfr.mp4", n -> {
            Path out = TestMedia.newDir().resolve(n);
            int w = 320;
            int h = 240;
            int rate = 48_000;
            try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), w, h, 1)) {
                r.setFormat("mp4");
                r.setVideoCodecName("libx264");
                r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
                r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                r.setFrameRate(1000); // the time base: frames land on any millisecond
                r.setVideoOption("preset", "ultrafast");
                r.setVideoOption("crf", "20");
                r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                r.setSampleRate(rate);
                r.setAudioBitrate(96_000);
                r.start();
                List<Long> times = vfrTimesMillis();
                long samplesWritten = 0;
                for (int i = 0; i < times.size(); i++) {
                    long ms = times.get(i);
                    long until = Math.round(ms / 1000.0 * rate);
                    if (until > samplesWritten) {
                        r.recordSamples(rate, 1, beeps(samplesWritten, (int) (until - samplesWritten), rate));
                        samplesWritten = until;
                    }
                    r.setFrameNumber((int) ms);
                    r.recordImage(w, h, Frame.DEPTH_UBYTE, 1, w, avutil.AV_PIX_FMT_YUV420P,
                            flat(w, h, flashAt(ms / 1000.0) ? 235 : 16));
                }
                long total = Math.round(VFR_SECONDS * rate);
                r.recordSamples(rate, 1, beeps(samplesWritten, (int) (total - samplesWritten), rate));
                r.stop();
            } catch (Exception e) {
                throw new IllegalStateException("cannot generate " + n, e);
            }
            return out;
        });
    }

    /** Frame times, ms: jittered 30 fps, 15 fps from 1.2 s, 60 fps from 2.2 s, jittered 30 fps from 2.8 s. */
    static List<Long> vfrTimesMillis() {
        List<Long> out = new ArrayList<>();
        java.util.Random jitter = new java.util.Random(7);
        double t = 0;
        while (t < VFR_SECONDS - 0.04) {
            long ms = Math.round(t * 1000);
            for (double mark : SYNC_MARKS) {
                if (t < mark && t + 0.05 > mark) {
                    ms = Math.round(mark * 1000); // a frame exactly at each mark
                }
            }
            if (out.isEmpty() || ms > out.get(out.size() - 1)) {
                out.add(ms);
            }
            double step = t >= 1.2 && t < 2.2 ? 1 / 15.0 : t >= 2.2 && t < 2.8 ? 1 / 60.0
                    : 1 / 30.0 + (jitter.nextDouble() - 0.5) * 0.012;
            t = Math.max(ms / 1000.0, t) + step;
        }
        return out;
    }

    static boolean flashAt(double seconds) {
        for (double mark : SYNC_MARKS) {
            if (seconds >= mark - 1e-9 && seconds < mark + 0.1) {
                return true;
            }
        }
        return false;
    }

    private static ShortBuffer beeps(long first, int count, int rate) {
        ShortBuffer b = ShortBuffer.allocate(count);
        for (int i = 0; i < count; i++) {
            double t = (first + i) / (double) rate;
            b.put(flashAt(t) ? (short) (12_000 * Math.sin(2 * Math.PI * 1000 * t)) : 0);
        }
        return b.flip();
    }

    private static ByteBuffer flat(int w, int h, int luma) {
        ByteBuffer b = ByteBuffer.allocateDirect(w * h * 3 / 2);
        for (int i = 0; i < w * h; i++) {
            b.put((byte) luma);
        }
        while (b.hasRemaining()) {
            b.put((byte) 128);
        }
        return b.flip();
    }
}
