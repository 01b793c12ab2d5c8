package dev.framewright.transcoder.media;

import dev.framewright.events.FailureCode;
import dev.framewright.events.LoudnessReport;
import java.nio.Buffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * The audio of one input stream on its way to the sinks that take it, with what is done to it on the decode thread:
 * nothing (mono or stereo at its own level: the recorder takes the decoded samples), or a libavfilter chain that
 * downmixes more than two channels to stereo with the standard matrix and/or normalises the loudness. Sinks that
 * want the same stream treated the same way share one route. A stream other than the one the main grabber decodes is
 * read by a grabber of the route's own, kept in step with the main decode.
 *
 * <p>Downmix: swresample's default matrix (ITU-R BS.775): L = FL + 0.707 FC + 0.707 SL (+ 0.707 BL), R likewise,
 * LFE dropped, from the stream's real channel layout. Normalisation: {@code volume} by target minus the measured
 * integrated loudness, then {@code alimiter} holding sample peaks {@value #LIMITER_MARGIN_DB} dB under the true-peak
 * limit (a margin for inter-sample peaks and the lossy encoder's overshoot), then {@code ebur128} measuring what goes
 * to the encoder.
 */
final class AudioRoute implements AutoCloseable {

    /** How far under the true-peak limit the sample-peak limiter holds the signal. */
    static final double LIMITER_MARGIN_DB = 1.0;

    /** What the first pass measured and the gain it gives. */
    record Normalisation(double targetLufs, double truePeakDb, double inputLufs, double inputTruePeakDb) {
        double gainDb() {
            return targetLufs - inputLufs;
        }
    }

    final int stream;
    final int channels;
    final Normalisation loudness;
    final String chain;
    final List<Sink> sinks = new ArrayList<>();
    private final AudioFilter filter;
    private FFmpegFrameGrabber own;
    private long inSamples;
    private long outSamples;
    private double firstSeconds = -1;
    private double ownAt;
    private boolean ownEnded;
    private Double outLufs;
    private double outPeak = Double.NEGATIVE_INFINITY;

    /**
     * @param channels the stream's channel count
     * @param loudness null: the stream's own level
     */
    AudioRoute(int stream, int channels, Normalisation loudness) {
        this.stream = stream;
        this.channels = channels;
        this.loudness = loudness;
        this.chain = chain(channels, loudness);
        this.filter = chain == null ? null : new AudioFilter(chain);
    }

    /** The chain for a stream of {@code channels}, or null when the decoded samples go to the sinks as they are. */
    static String chain(int channels, Normalisation loudness) {
        List<String> parts = new ArrayList<>();
        if (channels > 2) {
            parts.add(downmix());
        }
        if (loudness != null) {
            double limit = Math.pow(10, (loudness.truePeakDb() - LIMITER_MARGIN_DB) / 20);
            parts.add(String.format(Locale.ROOT, "volume=volume=%.3fdB:precision=double", loudness.gainDb()));
            parts.add(String.format(Locale.ROOT,
                    "alimiter=limit=%.6f:level=false:latency=true:attack=2:release=20", Math.max(0.0625, limit)));
            parts.add("ebur128=peak=true:metadata=1");
        }
        if (parts.isEmpty()) {
            return null;
        }
        parts.add("aformat=sample_fmts=fltp");
        return String.join(",", parts);
    }

    /** Stereo by swresample's default (BS.775) matrix: the conversion {@code aformat} makes the graph insert. */
    static String downmix() {
        return "aformat=channel_layouts=stereo";
    }

    /** Opens the route's own grabber on its stream (audio only), for a stream the main decode does not read. */
    void openOwn(Path input) throws MediaException {
        own = FFmpegSupport.open(input, g -> {
            g.setAudioStream(stream);
            g.setVideoStream(Integer.MAX_VALUE); // no video stream matches: nothing but this audio is decoded
        });
    }

    boolean ownGrabber() {
        return own != null;
    }

    /** Reads the route's own stream up to {@code seconds} of source time (all of it for +infinity). */
    void pumpTo(double seconds, long startUs) throws MediaException, InterruptedException {
        while (own != null && !ownEnded && ownAt < seconds && sinks.stream().anyMatch(Sink::alive)) {
            Frame f;
            try {
                f = own.grabSamples();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new MediaException(FailureCode.UNSUPPORTED_MEDIA, "cannot decode audio stream " + stream
                        + " at " + String.format(Locale.ROOT, "%.2f", ownAt) + " s", e);
            }
            if (f == null) {
                ownEnded = true;
                break;
            }
            double t = Math.max(0, f.timestamp - startUs) / 1_000_000.0;
            int n = DecodeFanOut.sampleCount(f);
            ownAt = t + (f.sampleRate > 0 ? (double) n / f.sampleRate : 0);
            accept(f, t, n);
        }
    }

    /** One decoded frame of this route's stream at source time {@code t}. */
    void accept(Frame frame, double t, int n) throws MediaException, InterruptedException {
        if (filter == null) {
            DecodeFanOut.fanOutAudio(frame.samples, false, frame.sampleRate, frame.audioChannels, t, n, sinks);
            return;
        }
        if (firstSeconds < 0) {
            firstSeconds = t;
        }
        AVFrame av = (AVFrame) frame.opaque;
        av.pts(inSamples);
        inSamples += av.nb_samples();
        filter.push(av);
        drain();
    }

    /** Flushes the chain (the limiter's look-ahead) to the sinks. */
    void end(long startUs) throws MediaException, InterruptedException {
        pumpTo(Double.POSITIVE_INFINITY, startUs);
        if (filter != null) {
            filter.end();
            drain();
        }
    }

    private void drain() throws MediaException, InterruptedException {
        AVFrame out;
        while ((out = filter.pull()) != null) {
            if (loudness != null) {
                Double i = AudioFilter.metadata(out, "lavfi.r128.I");
                if (i != null) {
                    outLufs = i;
                }
                outPeak = Math.max(outPeak, LoudnessMeter.truePeak(out));
            }
            int n = out.nb_samples();
            int rate = out.sample_rate();
            Buffer[] planes = AudioFilter.planarFloats(out);
            double t = firstSeconds + (double) outSamples / rate;
            outSamples += n;
            DecodeFanOut.fanOutAudio(planes, true, rate, planes.length, t, n, sinks);
        }
    }

    /** What normalisation measured, or null without one. */
    LoudnessReport report() {
        if (loudness == null) {
            return null;
        }
        return new LoudnessReport(LoudnessMeter.round(outLufs), LoudnessMeter.round(
                Double.isFinite(outPeak) ? outPeak : null), LoudnessMeter.round(loudness.inputLufs()),
                LoudnessMeter.round(loudness.inputTruePeakDb()), loudness.targetLufs(),
                LoudnessMeter.round(loudness.gainDb()));
    }

    @Override
    public void close() {
        if (filter != null) {
            filter.close();
        }
        FFmpegSupport.closeQuietly(own);
    }
}
