package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import dev.framewright.events.FailureCode;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Encodes to one {@link FFmpegFrameRecorder}: pictures scaled to the recorder's size (and overlaid) with this sink's
 * own scaler, audio as delivered (the recorder resamples). Video frames keep their source time: the output frame
 * number follows {@code (t - start) * fps}, so dropped or missing source frames never shift the rest. The output is
 * constant rate, as a phone's variable-rate clip played: a slot no source frame falls in repeats the picture before
 * it (what {@code ffmpeg -fps_mode cfr} does), so every frame lasts {@code 1/fps} and the picture shown at any time
 * is the source's at that time, within one output frame.
 */
final class EncoderSink extends Sink {

    private final FFmpegFrameRecorder recorder;
    private final String what;
    /** The size of the pictures the decoder delivers: the source's, or this sink's own when the decoder scales. */
    private int srcWidth;
    private int srcHeight;
    private final OverlayBlender overlay;
    /** Faces hidden in this sink's own copy of the picture, like the overlay; null for none. */
    private FaceRedactor redactor;
    private final Path file;
    private Scaler scaler;
    /** The last picture recorded, to repeat over a gap (without a scaler: the shared frame goes back to the pool). */
    private java.nio.ByteBuffer last;
    private boolean haveLast;

    /**
     * @param recorder configured, not started; its image size is the output size (0 for audio only)
     * @param what     the encoder in words, for messages ("H.264/AAC 1280x720")
     */
    EncoderSink(String output, String label, OutputPlans.Window window, double fps, boolean takesAudio,
            FFmpegFrameRecorder recorder, String what, int srcWidth, int srcHeight, OverlayBlender overlay,
            Path file) {
        super(output, label, window, fps, takesAudio);
        this.recorder = recorder;
        this.what = what;
        this.srcWidth = srcWidth;
        this.srcHeight = srcHeight;
        this.overlay = overlay;
        this.file = file;
    }

    Path file() {
        return file;
    }

    int width() {
        return recorder.getImageWidth();
    }

    int height() {
        return recorder.getImageHeight();
    }

    /** The overlay of this sink, or null. */
    OverlayBlender overlay() {
        return overlay;
    }

    /** Hides faces in every picture; before {@link #open}. */
    void redact(FaceRedactor redactor) {
        this.redactor = redactor;
    }

    @Override
    BoxFit.Size prescaledSize() {
        // an overlay is drawn into this sink's own copy of the picture, which its scaler makes
        return takesVideo() && overlay == null && redactor == null
                ? new BoxFit.Size(recorder.getImageWidth(), recorder.getImageHeight()) : null;
    }

    @Override
    void decodedAt(BoxFit.Size size) {
        this.srcWidth = size.width();
        this.srcHeight = size.height();
    }

    @Override
    void open() throws MediaException {
        try {
            recorder.start();
            if (takesVideo() && (recorder.getImageWidth() != srcWidth || recorder.getImageHeight() != srcHeight
                    || overlay != null || redactor != null)) {
                scaler = new Scaler(srcWidth, srcHeight, recorder.getImageWidth(), recorder.getImageHeight(),
                        AV_PIX_FMT_YUV420P);
            }
        } catch (Exception | Error e) {
            release();
            throw new MediaException(FailureCode.INVALID_OUTPUT,
                    "the " + what + " encoder rejected the parameters: " + e.getMessage(), e);
        }
    }

    @Override
    void onVideo(SharedFrame frame, long index) throws Exception {
        int w = recorder.getImageWidth();
        if (haveLast && index > recorder.getFrameNumber()) {
            java.nio.Buffer previous = scaler != null ? scaler.out.position(0).limit(scaler.outSize).asBuffer()
                    : last.duplicate().rewind();
            while (recorder.getFrameNumber() < index) {
                recorder.recordImage(w, recorder.getImageHeight(), Frame.DEPTH_UBYTE, 1, w, AV_PIX_FMT_YUV420P,
                        previous);
            }
        }
        java.nio.Buffer picture;
        if (scaler != null) {
            BytePointer scaled = scaler.scale(frame);
            if (overlay != null && overlay.activeAt(index / fps)) {
                overlay.blend(scaled, window.start() + index / fps);
            }
            if (redactor != null) {
                redactor.apply(scaled, window.start() + index / fps);
            }
            picture = scaled.position(0).limit(scaler.outSize).asBuffer();
        } else {
            picture = frame.buffer.duplicate(); // shared with other sinks: read only
            if (last == null || last.capacity() != frame.size) {
                last = java.nio.ByteBuffer.allocateDirect(frame.size);
            }
            last.clear();
            last.put(frame.buffer.duplicate()).flip();
        }
        haveLast = true;
        if (index > recorder.getFrameNumber()) {
            recorder.setFrameNumber((int) Math.min(index, Integer.MAX_VALUE)); // the window starts after a gap
        }
        recorder.recordImage(w, recorder.getImageHeight(), Frame.DEPTH_UBYTE, 1, w, AV_PIX_FMT_YUV420P,
                picture);
    }

    @Override
    void onAudio(AudioItem audio) throws Exception {
        recorder.recordSamples(audio.sampleRate(), audio.channels(), audio.samples());
    }

    @Override
    void onEnd() throws Exception {
        recorder.stop();
    }

    @Override
    void release() {
        FFmpegSupport.closeQuietly(recorder);
        if (scaler != null) {
            scaler.close();
            scaler = null;
        }
    }
}
