package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.BytePointer;

/**
 * One decoded picture, tightly packed yuv420p, shared read-only by every sink that wants it and handed back to its
 * {@link Pool} when the last one releases it. The pool's fixed size bounds the memory of frames in flight.
 */
final class SharedFrame {

    final int width;
    final int height;
    final BytePointer data;
    final int size;
    /** The whole picture; sinks read {@code duplicate()}s (position and limit are per reader). */
    final java.nio.ByteBuffer buffer;
    /** Source seconds from the start of the input. */
    double seconds;
    private final AtomicInteger refs = new AtomicInteger();
    private final Pool pool;

    private SharedFrame(Pool pool, int width, int height) {
        this.pool = pool;
        this.width = width;
        this.height = height;
        this.size = av_image_get_buffer_size(AV_PIX_FMT_YUV420P, width, height, 1);
        this.data = new BytePointer(size);
        this.buffer = data.position(0).limit(size).asByteBuffer();
    }

    void retain(int count) {
        refs.set(count);
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            pool.free.offer(this);
        }
    }

    /** A fixed number of frames of one size, allocated on first use. */
    static final class Pool implements AutoCloseable {
        private final ArrayBlockingQueue<SharedFrame> free;
        private final java.util.List<SharedFrame> all = new java.util.ArrayList<>();
        private final int capacity;
        private final int width;
        private final int height;

        Pool(int capacity, int width, int height) {
            this.capacity = capacity;
            this.width = width;
            this.height = height;
            this.free = new ArrayBlockingQueue<>(capacity);
        }

        /** Waits for a free frame; {@code null} only when interrupted. */
        SharedFrame acquire() throws InterruptedException {
            SharedFrame f = free.poll();
            if (f != null) {
                return f;
            }
            synchronized (all) {
                if (all.size() < capacity) {
                    SharedFrame created = new SharedFrame(this, width, height);
                    all.add(created);
                    return created;
                }
            }
            while (true) {
                f = free.poll(100, TimeUnit.MILLISECONDS);
                if (f != null) {
                    return f;
                }
            }
        }

        @Override
        public void close() {
            synchronized (all) {
                for (SharedFrame f : all) {
                    f.data.close();
                }
                all.clear();
            }
        }
    }
}
