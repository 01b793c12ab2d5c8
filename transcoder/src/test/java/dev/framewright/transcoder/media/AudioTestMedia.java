package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_DEFAULT;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_from_string;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Inputs for the audio paths, muxed with libavformat directly (JavaCV's recorder writes one audio stream only):
 * Matroska with PCM tracks of any layout, language and default flag, optionally beside the video packets of another
 * clip. And what tests need to measure outputs: decoded float samples, Goertzel tone levels, BS.1770 loudness.
 */
final class AudioTestMedia {

    static final int RATE = 48_000;

    /** Sample {@code i} of channel {@code ch}, -1..1. */
    @FunctionalInterface
    interface Signal {
        double at(int ch, long i);
    }

    /** One PCM track. */
    record Track(String language, boolean isDefault, String layout, int channels, Signal signal) {
    }

    private AudioTestMedia() {
    }

    /** Sine tones per channel (Hz) at {@code amplitude}. */
    static Signal tones(double amplitude, double... hz) {
        return (ch, i) -> amplitude * Math.sin(2 * Math.PI * hz[ch] * i / RATE);
    }

    /**
     * @param videoFrom null, or a clip whose video packets go beside the tracks (its length then bounds nothing: the
     *                  tracks are {@code seconds} long)
     */
    static Path mkv(String name, Path videoFrom, double seconds, Track... tracks) {
        Path out = TestMedia.newDir().resolve(name);
        AVFormatContext oc = new AVFormatContext(null);
        FFmpegFrameGrabber video = null;
        AVPacket pkt = av_packet_alloc();
        try {
            check(avformat_alloc_output_context2(oc, null, "matroska", out.toString()), "alloc");
            AVStream vs = null;
            AVRational vtb = null;
            if (videoFrom != null) {
                video = new FFmpegFrameGrabber(videoFrom.toFile());
                video.start();
                AVStream in = video.getFormatContext().streams(video.getVideoStream());
                vs = avformat_new_stream(oc, null);
                check(avcodec_parameters_copy(vs.codecpar(), in.codecpar()), "copy video");
                vs.codecpar().codec_tag(0);
                vtb = in.time_base();
                vs.time_base(vtb);
            }
            List<AVStream> as = new ArrayList<>();
            for (Track t : tracks) {
                AVStream st = avformat_new_stream(oc, null);
                AVCodecParameters par = st.codecpar();
                par.codec_type(AVMEDIA_TYPE_AUDIO);
                par.codec_id(AV_CODEC_ID_PCM_S16LE);
                par.sample_rate(RATE);
                par.format(AV_SAMPLE_FMT_S16);
                check(av_channel_layout_from_string(par.ch_layout(), t.layout()), "layout " + t.layout());
                par.bits_per_coded_sample(16);
                par.block_align(2 * t.channels());
                par.bit_rate(16L * RATE * t.channels());
                st.time_base(av_make_q(1, RATE));
                st.disposition(t.isDefault() ? AV_DISPOSITION_DEFAULT : 0);
                if (t.language() != null) {
                    AVDictionary d = new AVDictionary(null);
                    av_dict_set(d, "language", t.language(), 0);
                    st.metadata(d);
                }
                as.add(st);
            }
            AVIOContext pb = new AVIOContext(null);
            check(avio_open(pb, out.toString(), AVIO_FLAG_WRITE), "open");
            oc.pb(pb);
            check(avformat_write_header(oc, (AVDictionary) null), "header");
            long total = Math.round(seconds * RATE);
            int chunk = 1024;
            long audioDone = 0;
            AVPacket vp = null;
            boolean videoLeft = video != null;
            while (audioDone < total || videoLeft) {
                double audioT = (double) audioDone / RATE;
                if (videoLeft && (vp == null)) {
                    vp = video.grabPacket();
                    while (vp != null && vp.stream_index() != video.getVideoStream()) {
                        vp = video.grabPacket(); // the clip's own audio stays out
                    }
                    if (vp == null) {
                        videoLeft = false;
                    }
                }
                if (vp != null && (audioDone >= total
                        || vp.dts() * vtb.num() / (double) vtb.den() <= audioT)) {
                    vp.stream_index(vs.index());
                    vp.pts(av_rescale_q(vp.pts(), vtb, vs.time_base()));
                    vp.dts(av_rescale_q(vp.dts(), vtb, vs.time_base()));
                    vp.duration(av_rescale_q(vp.duration(), vtb, vs.time_base()));
                    vp.pos(-1);
                    check(av_interleaved_write_frame(oc, vp), "write video");
                    vp = null;
                    continue;
                }
                if (audioDone >= total) {
                    continue;
                }
                int n = (int) Math.min(chunk, total - audioDone);
                for (int k = 0; k < tracks.length; k++) {
                    Track t = tracks[k];
                    AVStream st = as.get(k);
                    check(av_new_packet(pkt, n * 2 * t.channels()), "packet");
                    ShortBuffer pcm = pkt.data().capacity((long) n * 2 * t.channels()).asByteBuffer()
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer();
                    for (int i = 0; i < n; i++) {
                        for (int c = 0; c < t.channels(); c++) {
                            double v = Math.max(-1, Math.min(1, t.signal().at(c, audioDone + i)));
                            pcm.put((short) Math.round(v * 32767));
                        }
                    }
                    pkt.stream_index(st.index());
                    pkt.pts(av_rescale_q(audioDone, av_make_q(1, RATE), st.time_base()));
                    pkt.dts(pkt.pts());
                    pkt.duration(av_rescale_q(n, av_make_q(1, RATE), st.time_base()));
                    check(av_interleaved_write_frame(oc, pkt), "write audio");
                    av_packet_unref(pkt);
                }
                audioDone += n;
            }
            check(av_write_trailer(oc), "trailer");
            avio_closep(oc.pb());
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate " + name, e);
        } finally {
            av_packet_free(pkt);
            avformat_free_context(oc);
            if (video != null) {
                try {
                    video.close();
                } catch (Exception ignored) {
                    // test helper
                }
            }
        }
        return out;
    }

    private static void check(int ret, String what) {
        if (ret < 0) {
            throw new IllegalStateException(what + " failed: " + ret);
        }
    }

    /** Decoded audio of a file: [channel][sample] and its rate. */
    record Pcm(float[][] samples, int rate) {
        int channels() {
            return samples.length;
        }
    }

    static Pcm decode(Path file) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
            g.start();
            int ch = g.getAudioChannels();
            List<float[]> chunks = new ArrayList<>();
            int rate = g.getSampleRate();
            Frame f;
            while ((f = g.grabSamples()) != null) {
                Buffer[] b = f.samples;
                if (b.length > 1) {
                    int n = b[0].remaining();
                    float[] inter = new float[n * ch];
                    for (int c = 0; c < ch; c++) {
                        FloatBuffer fb = ((FloatBuffer) b[c]).duplicate();
                        for (int i = 0; i < n; i++) {
                            inter[i * ch + c] = fb.get();
                        }
                    }
                    chunks.add(inter);
                } else {
                    FloatBuffer fb = ((FloatBuffer) b[0]).duplicate();
                    float[] inter = new float[fb.remaining()];
                    fb.get(inter);
                    chunks.add(inter);
                }
            }
            int total = chunks.stream().mapToInt(a -> a.length / ch).sum();
            float[][] out = new float[ch][total];
            int at = 0;
            for (float[] a : chunks) {
                int n = a.length / ch;
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < ch; c++) {
                        out[c][at + i] = a[i * ch + c];
                    }
                }
                at += n;
            }
            return new Pcm(out, rate);
        }
    }

    /** Amplitude of the {@code hz} component of samples [from, to) (Goertzel). */
    static double tone(float[] x, int rate, double hz, int from, int to) {
        double w = 2 * Math.PI * hz / rate;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            double s = x[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return 2 * Math.sqrt(Math.max(0, power)) / (to - from);
    }

    static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    // ---- ITU-R BS.1770-4, written from the recommendation (independent of libavfilter's ebur128)

    /** Integrated loudness, LUFS: K-weighting, 400 ms blocks with 75 % overlap, -70 LUFS and -10 LU gates. */
    static double integratedLufs(Pcm pcm) {
        int rate = pcm.rate();
        int block = (int) Math.round(0.4 * rate);
        int hop = block / 4;
        int n = pcm.samples()[0].length;
        double[][] weighted = new double[pcm.channels()][];
        for (int c = 0; c < pcm.channels(); c++) {
            weighted[c] = kWeight(pcm.samples()[c], rate);
        }
        List<Double> blocks = new ArrayList<>();
        for (int start = 0; start + block <= n; start += hop) {
            double z = 0;
            for (int c = 0; c < pcm.channels(); c++) {
                double sum = 0;
                for (int i = start; i < start + block; i++) {
                    sum += weighted[c][i] * weighted[c][i];
                }
                z += sum / block; // L, R (and C) weigh 1; surrounds would weigh 1.41
            }
            blocks.add(z);
        }
        List<Double> abs = blocks.stream().filter(z -> lufs(z) > -70).toList();
        double relative = lufs(abs.stream().mapToDouble(Double::doubleValue).average().orElse(0)) - 10;
        return lufs(abs.stream().filter(z -> lufs(z) > relative).mapToDouble(Double::doubleValue).average()
                .orElse(0));
    }

    private static double lufs(double z) {
        return -0.691 + 10 * Math.log10(z);
    }

    /** The two BS.1770 pre-filter stages (high shelf, then RLB high pass), designed for any rate. */
    private static double[] kWeight(float[] x, int rate) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        // stage 1: shelf, f0 1681.974 Hz, gain 3.99984 dB, Q 0.7071752
        double k = Math.tan(Math.PI * 1681.974450955533 / rate);
        double vh = Math.pow(10, 3.999843853973347 / 20);
        double vb = Math.pow(vh, 0.4996667741545416);
        double q = 0.7071752369554196;
        double a0 = 1 + k / q + k * k;
        biquad(y, (vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
                2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
        // stage 2: high pass, f0 38.135 Hz, Q 0.5003
        k = Math.tan(Math.PI * 38.13547087602444 / rate);
        q = 0.5003270373238773;
        a0 = 1 + k / q + k * k;
        biquad(y, 1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
        return y;
    }

    private static void biquad(double[] x, double b0, double b1, double b2, double a1, double a2) {
        double x1 = 0;
        double x2 = 0;
        double y1 = 0;
        double y2 = 0;
        for (int i = 0; i < x.length; i++) {
            double in = x[i];
            double out = b0 * in + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = in;
            y2 = y1;
            y1 = out;
            x[i] = out;
        }
    }

    /** True peak, dBTP: the signal 4x oversampled by windowed-sinc interpolation (BS.1770 annex 2). */
    static double truePeakDb(Pcm pcm) {
        int taps = 12;
        double peak = 0;
        for (float[] x : pcm.samples()) {
            for (int i = 0; i < x.length; i++) {
                peak = Math.max(peak, Math.abs(x[i]));
                for (int phase = 1; phase < 4; phase++) {
                    double frac = phase / 4.0;
                    double v = 0;
                    for (int t = -taps + 1; t <= taps; t++) {
                        int j = i + t;
                        if (j < 0 || j >= x.length) {
                            continue;
                        }
                        double d = t - frac;
                        double sinc = Math.sin(Math.PI * d) / (Math.PI * d);
                        double window = 0.5 + 0.5 * Math.cos(Math.PI * d / (taps + 1));
                        v += x[j] * sinc * window;
                    }
                    peak = Math.max(peak, Math.abs(v));
                }
            }
        }
        return db(peak);
    }
}
