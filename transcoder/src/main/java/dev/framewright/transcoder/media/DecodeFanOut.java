package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import dev.framewright.events.FailureCode;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes an opened input once and fans every frame out to the sinks: each picture is copied once into a pooled,
 * tightly packed yuv420p buffer that every sink wanting it reads (JavaCV pads grabbed lines to 64 bytes; the pool's
 * fixed size bounds memory), each audio chunk once into heap buffers that sinks read through their own views.
 * Decoding stops early once every sink's window has passed.
 */
final class DecodeFanOut {

    /** Frames decoded by every pass in this JVM (tests prove there is one decode per job). */
    static final AtomicLong DECODED_VIDEO_FRAMES = new AtomicLong();
    /** Pictures in flight: queued in sinks, being encoded, or being copied. */
    static final int POOL_FRAMES = Sink.QUEUE_CAPACITY * 2;

    /** Progress of the pass, per decoded frame. */
    interface Progress {
        void onProgress(double mediaSeconds, double fps);
    }

    private DecodeFanOut() {
    }

    /**
     * Runs the pass; on return every sink has ended (done or failed). On an exception the sinks are aborted and their
     * threads joined before it propagates.
     *
     * @param upright       null, or the chain every decoded picture goes through first (deinterlace, scale, turn
     *                      upright; see {@link PictureGeometry#filter}); it yields yuv420p at {@code decoded}
     * @param routes        the audio of every sink that takes audio: from the grabber's own audio stream, or (a route
     *                      with a grabber of its own) from another stream, read in step with this decode
     * @throws MediaException        {@code UNSUPPORTED_MEDIA} when the input cannot be decoded
     * @throws CancellationException when the thread is interrupted
     */
    static void run(FFmpegFrameGrabber grabber, OutputPlans.Source src, BoxFit.Size decoded, PictureFilter upright,
            List<Sink> sinks, List<AudioRoute> routes, Progress progress) throws MediaException {
        long startUs = FFmpegSupport.startMicros(grabber);
        double lastEnd = sinks.stream().mapToDouble(s -> s.window().end()).max().orElse(0);
        boolean wantVideo = sinks.stream().anyMatch(Sink::takesVideo);
        List<AudioRoute> mainRoutes = routes.stream().filter(r -> !r.ownGrabber()).toList();
        List<AudioRoute> ownRoutes = routes.stream().filter(AudioRoute::ownGrabber).toList();
        boolean wantAudio = src.audio() && !mainRoutes.isEmpty();
        SharedFrame.Pool pool = wantVideo ? new SharedFrame.Pool(POOL_FRAMES, decoded.width(), decoded.height())
                : null;
        Repacker repack = new Repacker();
        boolean clean = false;
        List<Sink> targets = new ArrayList<>(sinks.size());
        try {
            long wallStart = System.nanoTime();
            long frames = 0;
            double videoAt = wantVideo ? 0 : Double.POSITIVE_INFINITY;
            double audioAt = wantAudio ? 0 : Double.POSITIVE_INFINITY;
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("media pipeline interrupted");
                }
                if (Math.min(videoAt, audioAt) >= lastEnd || sinks.stream().noneMatch(Sink::alive)) {
                    break; // every window has passed, or no sink is left
                }
                Frame frame;
                try {
                    frame = grabber.grab();
                } catch (FrameGrabber.Exception | RuntimeException e) {
                    throw new MediaException(FailureCode.UNSUPPORTED_MEDIA, "cannot decode the input at "
                            + String.format(Locale.ROOT, "%.2f", Math.max(videoAt, 0)) + " s", e);
                }
                if (frame == null) {
                    break;
                }
                double t = Math.max(0, frame.timestamp - startUs) / 1_000_000.0;
                if (frame.image != null && wantVideo) {
                    frames++;
                    DECODED_VIDEO_FRAMES.incrementAndGet();
                    videoAt = t;
                    if (upright == null) {
                        fanOutPicture((AVFrame) frame.opaque, t, sinks, targets, pool, repack);
                    } else {
                        upright.push((AVFrame) frame.opaque, frame.timestamp);
                        drain(upright, startUs, sinks, targets, pool, repack);
                    }
                    double wall = (System.nanoTime() - wallStart) / 1e9;
                    progress.onProgress(t, wall > 0 ? frames / wall : 0);
                } else if (frame.samples != null && wantAudio) {
                    int n = sampleCount(frame);
                    audioAt = t + (frame.sampleRate > 0 ? (double) n / frame.sampleRate : 0);
                    for (AudioRoute r : mainRoutes) {
                        r.accept(frame, t, n);
                    }
                    if (!wantVideo) {
                        double wall = (System.nanoTime() - wallStart) / 1e9;
                        progress.onProgress(t, wall > 0 ? frames / wall : 0);
                    }
                }
                double at = Math.min(videoAt, audioAt);
                for (AudioRoute r : ownRoutes) {
                    r.pumpTo(Double.isFinite(at) ? at + 0.2 : Double.POSITIVE_INFINITY, startUs);
                }
            }
            if (upright != null) {
                upright.end(); // bwdif holds one frame back
                drain(upright, startUs, sinks, targets, pool, repack);
            }
            for (AudioRoute r : routes) {
                r.end(startUs); // the rest of another stream, what the audio chains hold back
            }
            for (Sink s : sinks) {
                s.end();
            }
            for (Sink s : sinks) {
                while (!s.join(100)) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("media pipeline interrupted");
                    }
                }
            }
            clean = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // keep the caller's interrupt visible
            throw new CancellationException("media pipeline interrupted");
        } finally {
            if (!clean) {
                abortAll(sinks);
            }
            if (pool != null && sinks.stream().allMatch(s -> !s.threadAlive())) {
                pool.close(); // else a wedged encoder may still read a frame: leak rather than crash
            }
            repack.close();
        }
    }

    /** Fans out every picture the filter has ready, at the time it carries. */
    private static void drain(PictureFilter upright, long startUs, List<Sink> sinks, List<Sink> targets,
            SharedFrame.Pool pool, Repacker repack) throws InterruptedException, MediaException {
        AVFrame picture;
        while ((picture = upright.pull()) != null) {
            fanOutPicture(picture, Math.max(0, picture.pts() - startUs) / 1_000_000.0, sinks, targets, pool, repack);
        }
    }

    /**
     * @param picture the grabber's converted picture, (raw mode, a yuv420p source) the decoder's own frame, or the
     *                upright filter's output
     */
    private static void fanOutPicture(AVFrame picture, double t, List<Sink> sinks, List<Sink> targets,
            SharedFrame.Pool pool, Repacker repack) throws InterruptedException, MediaException {
        targets.clear();
        List<Long> indices = new ArrayList<>(sinks.size());
        for (Sink s : sinks) {
            long index = s.videoIndex(t);
            if (index >= 0) {
                targets.add(s);
                indices.add(index);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        SharedFrame shared = pool.acquire();
        int ret;
        if (picture.format() == AV_PIX_FMT_YUV420P && picture.width() == shared.width
                && picture.height() == shared.height) {
            ret = av_image_copy_to_buffer(shared.data.position(0), shared.size, new PointerPointer<>(picture),
                    picture.linesize(), AV_PIX_FMT_YUV420P, shared.width, shared.height, 1);
        } else {
            ret = repack.convert(picture, shared); // a stream whose size or format changed mid-way
        }
        if (ret < 0) {
            shared.retain(1);
            shared.release();
            throw new MediaException(FailureCode.INTERNAL, "av_image_copy_to_buffer failed with " + ret);
        }
        shared.seconds = t;
        shared.retain(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            if (!targets.get(i).offer(new Sink.VideoItem(shared, indices.get(i)))) {
                shared.release(); // the sink failed meanwhile
            }
        }
    }

    /** Converts the odd picture whose size or format differs from the pool's (lazily created, then cached). */
    private static final class Repacker implements AutoCloseable {
        private SwsContext ctx;
        private final PointerPointer<BytePointer> planes = new PointerPointer<>(4);
        private final IntPointer lines = new IntPointer(4);

        int convert(AVFrame picture, SharedFrame into) {
            ctx = sws_getCachedContext(ctx, picture.width(), picture.height(), picture.format(), into.width,
                    into.height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, null, null, (DoublePointer) null);
            if (ctx == null) {
                return -1;
            }
            av_image_fill_arrays(planes, lines, into.data.position(0), AV_PIX_FMT_YUV420P, into.width,
                    into.height, 1);
            return sws_scale(ctx, new PointerPointer<>(picture), picture.linesize(), 0, picture.height(), planes,
                    lines) > 0 ? 0 : -1;
        }

        @Override
        public void close() {
            sws_freeContext(ctx);
            planes.close();
            lines.close();
        }
    }

    /**
     * Offers samples [window start, window end) of one chunk at source time {@code t} to each sink.
     *
     * @param copied the samples are this call's own (heap) buffers, else the grabber's, copied before use
     */
    static void fanOutAudio(Buffer[] samples, boolean copied, int rate, int channels, double t, int n,
            List<Sink> sinks) throws InterruptedException {
        Buffer[] copy = copied ? samples : null;
        for (Sink s : sinks) {
            if (!s.takesAudio || !s.alive() || n <= 0) {
                continue;
            }
            int from = (int) Math.max(0, Math.round((s.window().start() - t) * rate));
            int to = (int) Math.min(n, Math.round((s.window().end() - t) * rate));
            if (from >= to) {
                continue;
            }
            if (copy == null) {
                copy = copy(samples);
            }
            Buffer[] view = view(copy, channels, from, to);
            s.offer(new Sink.AudioItem(view, rate, channels, t + (double) to / rate));
        }
    }

    static int sampleCount(Frame frame) {
        Buffer b = frame.samples[0];
        int elements = b.limit() - b.position();
        return frame.samples.length > 1 || frame.audioChannels <= 0 ? elements : elements / frame.audioChannels;
    }

    /** Heap copies (the grabber reuses its buffers); position 0, limit = the samples. */
    private static Buffer[] copy(Buffer[] samples) {
        Buffer[] out = new Buffer[samples.length];
        for (int i = 0; i < samples.length; i++) {
            Buffer b = samples[i];
            if (b instanceof ShortBuffer s) {
                out[i] = ShortBuffer.allocate(s.remaining()).put(s.duplicate()).flip();
            } else if (b instanceof FloatBuffer f) {
                out[i] = FloatBuffer.allocate(f.remaining()).put(f.duplicate()).flip();
            } else if (b instanceof IntBuffer in) {
                out[i] = IntBuffer.allocate(in.remaining()).put(in.duplicate()).flip();
            } else if (b instanceof DoubleBuffer d) {
                out[i] = DoubleBuffer.allocate(d.remaining()).put(d.duplicate()).flip();
            } else if (b instanceof ByteBuffer by) {
                out[i] = ByteBuffer.allocate(by.remaining()).put(by.duplicate()).flip();
            } else {
                throw new IllegalStateException("unexpected sample buffer " + b.getClass());
            }
        }
        return out;
    }

    /** Views of samples [from, to) (per channel); positions, not slices: the recorder reads array() + position(). */
    private static Buffer[] view(Buffer[] copy, int channels, int from, int to) {
        int k = copy.length > 1 ? 1 : Math.max(1, channels);
        Buffer[] out = new Buffer[copy.length];
        for (int i = 0; i < copy.length; i++) {
            Buffer d = duplicate(copy[i]);
            d.limit(to * k).position(from * k);
            out[i] = d;
        }
        return out;
    }

    private static Buffer duplicate(Buffer b) {
        if (b instanceof ShortBuffer s) {
            return s.duplicate();
        } else if (b instanceof FloatBuffer f) {
            return f.duplicate();
        } else if (b instanceof IntBuffer i) {
            return i.duplicate();
        } else if (b instanceof DoubleBuffer d) {
            return d.duplicate();
        }
        return ((ByteBuffer) b).duplicate();
    }

    static void abortAll(List<Sink> sinks) {
        boolean interrupted = Thread.interrupted(); // join below must not be cut short by our own interrupt
        try {
            for (Sink s : sinks) {
                s.abort();
            }
            for (Sink s : sinks) {
                try {
                    s.join(30_000);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
