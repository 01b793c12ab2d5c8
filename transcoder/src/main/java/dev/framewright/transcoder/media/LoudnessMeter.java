package dev.framewright.transcoder.media;

import dev.framewright.events.FailureCode;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * The first pass of loudness normalisation: decodes one audio stream alone (video packets are skipped unread) through
 * the same downmix the encode will use and libavfilter's {@code ebur128} (EBU R128 / ITU-R BS.1770: K-weighting,
 * 400 ms blocks, absolute and relative gates; true peak by 4x oversampling), over the output's window of the source.
 */
final class LoudnessMeter {

    /** Integrated loudness (LUFS, null for silence) and highest true peak (dBTP, null for silence). */
    record Measured(Double integratedLufs, Double truePeakDb) {
    }

    private LoudnessMeter() {
    }

    static Measured measure(Path input, int stream, OutputPlans.Window window) throws MediaException {
        FFmpegFrameGrabber g = FFmpegSupport.open(input, gr -> {
            gr.setAudioStream(stream);
            gr.setVideoStream(Integer.MAX_VALUE); // audio only
        });
        String chain = (g.getAudioChannels() > 2 ? AudioRoute.downmix() + "," : "")
                + "ebur128=peak=true:metadata=1,aformat=sample_fmts=fltp";
        long startUs = FFmpegSupport.startMicros(g);
        Double lufs = null;
        double peak = Double.NEGATIVE_INFINITY;
        long pts = 0;
        try (AudioFilter filter = new AudioFilter(chain)) {
            boolean more = true;
            while (more) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new java.util.concurrent.CancellationException("media pipeline interrupted");
                }
                Frame f;
                try {
                    f = g.grabSamples();
                } catch (FrameGrabber.Exception | RuntimeException e) {
                    throw new MediaException(FailureCode.UNSUPPORTED_MEDIA, "cannot decode audio stream " + stream
                            + " to measure its loudness", e);
                }
                double t = f == null ? 0 : Math.max(0, f.timestamp - startUs) / 1_000_000.0;
                if (f == null || t >= window.end()) {
                    filter.end();
                    more = false;
                } else if (t + (double) DecodeFanOut.sampleCount(f) / Math.max(1, f.sampleRate) > window.start()) {
                    AVFrame av = (AVFrame) f.opaque;
                    av.pts(pts);
                    pts += av.nb_samples();
                    filter.push(av);
                }
                AVFrame out;
                while ((out = filter.pull()) != null) {
                    Double i = AudioFilter.metadata(out, "lavfi.r128.I");
                    if (i != null) {
                        lufs = i;
                    }
                    peak = Math.max(peak, truePeak(out));
                }
            }
        } finally {
            FFmpegSupport.closeQuietly(g);
        }
        // ebur128 reports -70 (its absolute gate) for silence: nothing to normalise
        return new Measured(lufs == null || lufs <= -69.9 ? null : lufs, Double.isFinite(peak) ? peak : null);
    }

    /** The highest per-channel true peak {@code ebur128} wrote into the frame, dBTP. */
    static double truePeak(AVFrame frame) {
        double peak = Double.NEGATIVE_INFINITY;
        int channels = frame.ch_layout().nb_channels();
        for (int c = 0; c < channels; c++) {
            Double v = AudioFilter.metadata(frame, "lavfi.r128.true_peaks_ch" + c);
            if (v != null && v > 0) {
                peak = Math.max(peak, 20 * Math.log10(v)); // linear amplitude
            }
        }
        return peak;
    }

    /** One decimal, as loudness meters show it. */
    static Double round(Double v) {
        return v == null ? null : Math.round(v * 10) / 10.0;
    }

    static String describe(Measured m) {
        return String.format(Locale.ROOT, "%s LUFS, %s dBTP", m.integratedLufs(), m.truePeakDb());
    }
}
