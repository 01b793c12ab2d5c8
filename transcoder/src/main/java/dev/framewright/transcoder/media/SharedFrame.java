package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One decoded yuv420p picture, shared read-only by every sink that wants it and handed back to its {@link Pool} when
 * the last one releases it. The pool's fixed size bounds the pictures in flight.
 *
 * <p>The picture is either a reference to the decoder's own reference-counted frame (no copy: the decoder takes a new
 * buffer for its next picture) or, when the grabber converted or scaled it into a buffer it reuses, a tightly packed
 * copy. Scalers read the planes wherever they are ({@link #planes()}, {@link #lineSizes()}); an encoder that takes
 * the picture as it is gets it packed ({@link #packed()}), copied once on first demand.
 */
final class SharedFrame {

    final int width;
    final int height;
    final int size;
    /** Source seconds from the start of the input. */
    double seconds;
    private final AtomicInteger refs = new AtomicInteger();
    private final Pool pool;
    /** The decoder's frame, referenced; null until first used that way. */
    private AVFrame decoded;
    private boolean referenced;
    /** Packed copy, allocated on first use. */
    private BytePointer packed;
    private boolean packedValid;
    private final PointerPointer<BytePointer> packedPlanes = new PointerPointer<>(4);
    private final IntPointer packedLines = new IntPointer(4);

    private SharedFrame(Pool pool, int width, int height) {
        this.pool = pool;
        this.width = width;
        this.height = height;
        this.size = av_image_get_buffer_size(AV_PIX_FMT_YUV420P, width, height, 1);
    }

    /** Holds a reference to the decoder's frame (yuv420p of this size) instead of copying it. */
    int reference(AVFrame frame) {
        if (decoded == null) {
            decoded = av_frame_alloc();
        }
        int ret = av_frame_ref(decoded, frame);
        referenced = ret >= 0;
        packedValid = false;
        return ret;
    }

    /** Copies a yuv420p picture of this size (planes and line sizes as in an AVFrame) into the packed buffer. */
    int copy(AVFrame frame) {
        int ret = av_image_copy_to_buffer(packedBuffer(), size, new PointerPointer<>(frame), frame.linesize(),
                AV_PIX_FMT_YUV420P, width, height, 1);
        referenced = false;
        packedValid = ret >= 0;
        return ret;
    }

    /** The packed buffer for a converter to write into; {@link #converted()} marks it filled. */
    BytePointer packedBuffer() {
        if (packed == null) {
            packed = new BytePointer(size);
            av_image_fill_arrays(packedPlanes, packedLines, packed, AV_PIX_FMT_YUV420P, width, height, 1);
        }
        return packed.position(0);
    }

    PointerPointer<BytePointer> packedPlanes() {
        packedBuffer();
        return packedPlanes;
    }

    IntPointer packedLineSizes() {
        packedBuffer();
        return packedLines;
    }

    void converted() {
        referenced = false;
        packedValid = true;
    }

    /** The planes, for a scaler. */
    PointerPointer<?> planes() {
        return referenced ? new PointerPointer<>(decoded) : packedPlanes;
    }

    IntPointer lineSizes() {
        return referenced ? decoded.linesize() : packedLines;
    }

    /** The picture tightly packed (a read-only view; position 0, limit {@link #size}). */
    synchronized ByteBuffer packed() {
        if (!packedValid) { // the first sink that needs it packs the referenced frame; the others reuse that
            av_image_copy_to_buffer(packedBuffer(), size, new PointerPointer<>(decoded), decoded.linesize(),
                    AV_PIX_FMT_YUV420P, width, height, 1);
            packedValid = true;
        }
        return packed.position(0).limit(size).asByteBuffer();
    }

    void retain(int count) {
        refs.set(count);
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            if (referenced) {
                av_frame_unref(decoded); // the decoder's buffer goes back to the decoder at once
                referenced = false;
            }
            packedValid = false;
            pool.free.offer(this);
        }
    }

    private void close() {
        if (decoded != null) {
            av_frame_free(decoded);
            decoded = null;
        }
        if (packed != null) {
            packed.close();
        }
        packedPlanes.close();
        packedLines.close();
    }

    /** A fixed number of frames of one size, allocated on first use. */
    static final class Pool implements AutoCloseable {
        private final ArrayBlockingQueue<SharedFrame> free;
        private final List<SharedFrame> all = new ArrayList<>();
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
                    f.close();
                }
                all.clear();
            }
        }
    }
}
