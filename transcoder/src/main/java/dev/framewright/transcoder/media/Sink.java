package dev.framewright.transcoder.media;

import dev.framewright.events.FailureCode;
import java.nio.Buffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One encoder fed from the shared decode: a bounded queue and a thread of its own, so encoders run in parallel with
 * the decoder and with each other while a slow one holds back the decoder instead of piling up frames. Trim and frame
 * rate are decided on the decoder thread ({@link #videoIndex}), so frames no sink wants are never copied or queued.
 * A sink that fails records why and stops taking frames; the others go on.
 */
abstract class Sink {

    /** Frames queued per sink: enough to smooth out encoder hiccups, small enough to bound memory. */
    static final int QUEUE_CAPACITY = 4;
    private static final Object END = new Object();

    record VideoItem(SharedFrame frame, long index) {
    }

    /** Audio samples as the grabber delivered them (copied), already cut to this sink's window. */
    record AudioItem(Buffer[] samples, int sampleRate, int channels, double seconds) {
    }

    final String output;
    final String label;
    final OutputPlans.Window window;
    /** Output frame rate; frames are dropped to it (0: no video). */
    final double fps;
    final boolean takesAudio;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private Thread thread;
    private volatile MediaException failure;
    private volatile boolean done;
    /** Source seconds handled so far (written by the sink thread). */
    volatile double doneSeconds;
    private long lastIndex = -1;

    Sink(String output, String label, OutputPlans.Window window, double fps, boolean takesAudio) {
        this.output = output;
        this.label = label;
        this.window = window;
        this.fps = fps;
        this.takesAudio = takesAudio;
        this.doneSeconds = window.start();
    }

    // ---- decoder thread ----

    /** Starts the encoder(s); called once before any frame. Releases what it opened when it fails. */
    abstract void open() throws MediaException;

    /** Releases native resources; called exactly once, on the sink thread (or the caller when never started). */
    abstract void release();

    /** Encodes a picture at output frame {@code index}. */
    abstract void onVideo(SharedFrame frame, long index) throws Exception;

    abstract void onAudio(AudioItem audio) throws Exception;

    /** Flushes encoders and finishes the files. */
    abstract void onEnd() throws Exception;

    OutputPlans.Window window() {
        return window;
    }

    /**
     * The picture size this sink encodes when it can take pictures the decoder already scaled to that size, or null
     * when it needs the decoded size (it scales or draws on its own).
     */
    BoxFit.Size prescaledSize() {
        return null;
    }

    /** The decoder delivers pictures of this size; called before {@link #open()}. */
    void decodedAt(BoxFit.Size size) {
    }

    boolean threadAlive() {
        return thread != null && thread.isAlive();
    }

    boolean takesVideo() {
        return fps > 0;
    }

    /** The output frame index for a source frame at {@code seconds}, or -1 when this sink skips it. */
    long videoIndex(double seconds) {
        if (!takesVideo() || !alive() || seconds < window.start() || seconds >= window.end()) {
            return -1;
        }
        long n = Math.round((seconds - window.start()) * fps);
        if (n <= lastIndex) {
            return -1; // dropped to reach the output frame rate
        }
        lastIndex = n;
        return n;
    }

    void start() {
        thread = new Thread(this::loop, "fw-encode-" + label);
        thread.setDaemon(true);
        thread.start();
    }

    boolean alive() {
        return failure == null && !done;
    }

    boolean succeeded() {
        return done && failure == null;
    }

    MediaException failure() {
        return failure;
    }

    /** Queues an item, waiting while the queue is full; false when the sink is gone (the item was not taken). */
    boolean offer(Object item) throws InterruptedException {
        while (alive() && thread.isAlive()) {
            if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    void end() throws InterruptedException {
        offer(END);
    }

    void abort() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Waits for the thread; true when it has ended. */
    boolean join(long millis) throws InterruptedException {
        if (thread == null) {
            return true;
        }
        thread.join(millis);
        return !thread.isAlive();
    }

    /** Percent of this sink's window handled. */
    double percent() {
        if (succeeded()) {
            return 100;
        }
        double length = window.length();
        if (!(length > 0) || Double.isInfinite(length)) {
            return 0;
        }
        return Math.max(0, Math.min(99.9, 100 * (doneSeconds - window.start()) / length));
    }

    void fail(FailureCode code, String message, Throwable cause) {
        if (failure == null) {
            failure = new MediaException(code, message, cause);
        }
    }

    // ---- sink thread ----

    private void loop() {
        try {
            while (true) {
                Object item = queue.take();
                if (item == END) {
                    onEnd();
                    done = true;
                    return;
                }
                if (item instanceof VideoItem v) {
                    try {
                        onVideo(v.frame(), v.index());
                        doneSeconds = v.frame().seconds;
                    } finally {
                        v.frame().release();
                    }
                } else if (item instanceof AudioItem a) {
                    onAudio(a);
                    if (!takesVideo()) {
                        doneSeconds = a.seconds();
                    }
                }
            }
        } catch (InterruptedException e) {
            fail(FailureCode.INTERNAL, label + " was aborted", e);
        } catch (Exception | Error e) {
            fail(FailureCode.INTERNAL, label + " encoding failed at " + String.format(java.util.Locale.ROOT,
                    "%.2f", doneSeconds) + " s: " + e.getMessage(), e);
        } finally {
            // frames still queued go back to the pool
            Object item;
            while ((item = queue.poll()) != null) {
                if (item instanceof VideoItem v) {
                    v.frame().release();
                }
            }
            release();
        }
    }
}
