package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_PAL8;

import dev.framewright.events.FailureCode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * An animated GIF through FFmpeg's two-pass palette graph ({@code palettegen} over every frame, then
 * {@code paletteuse} with error-diffusion dithering), so the 256 colours are the clip's own instead of a fixed
 * palette. palettegen emits its palette only at the end of its input, so the (short, small) preview frames wait in
 * the filter graph until the last one.
 */
final class GifSink extends Sink {

    static final String PALETTE_GRAPH = "split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=sierra2_4a";

    private int srcWidth;
    private int srcHeight;
    private final int width;
    private final int height;
    private final Path file;
    private Scaler scaler;
    private FFmpegFrameFilter filter;
    private FFmpegFrameRecorder recorder;
    private Frame bgr;
    /** What the decoded pictures mean: their matrix and range decide the conversion to RGB. */
    private final PictureColour colour;

    GifSink(String output, OutputPlans.Window window, double fps, int srcWidth, int srcHeight, BoxFit.Size size,
            Path file, PictureColour colour) {
        super(output, output + "-gif", window, fps, false);
        this.srcWidth = srcWidth;
        this.srcHeight = srcHeight;
        this.width = size.width();
        this.height = size.height();
        this.file = file;
        this.colour = colour;
    }

    @Override
    void decodedAt(BoxFit.Size size) {
        this.srcWidth = size.width();
        this.srcHeight = size.height();
    }

    @Override
    void open() throws MediaException {
        try {
            scaler = new Scaler(srcWidth, srcHeight, width, height, AV_PIX_FMT_BGR24, colour);
            bgr = new Frame(width, height, Frame.DEPTH_UBYTE, 3, width * 3);
            filter = new FFmpegFrameFilter(PALETTE_GRAPH, width, height);
            filter.setPixelFormat(AV_PIX_FMT_BGR24);
            filter.setFrameRate(fps);
            filter.start();
            recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
            recorder.setFormat("gif");
            recorder.setVideoCodecName("gif");
            recorder.setPixelFormat(AV_PIX_FMT_PAL8);
            recorder.setFrameRate(fps);
            recorder.setOption("loop", "0"); // forever
            recorder.start();
        } catch (Exception | Error e) {
            release();
            throw new MediaException(FailureCode.INVALID_OUTPUT, "cannot set up the GIF encoder: " + e.getMessage(),
                    e);
        }
    }

    @Override
    void onVideo(SharedFrame frame, long index) throws Exception {
        ByteBuffer out = scaler.scale(frame).position(0).limit(scaler.outSize).asByteBuffer();
        ByteBuffer dst = (ByteBuffer) bgr.image[0];
        dst.clear();
        dst.put(out);
        dst.flip();
        bgr.timestamp = Math.round(index * 1_000_000 / fps);
        filter.push(bgr, AV_PIX_FMT_BGR24);
    }

    @Override
    void onAudio(AudioItem audio) {
        // no audio in a GIF
    }

    @Override
    void onEnd() throws Exception {
        filter.push(null); // end of input: palettegen now emits the palette, paletteuse every frame
        Frame f;
        while ((f = filter.pull()) != null) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            recorder.recordImage(f.imageWidth, f.imageHeight, Frame.DEPTH_UBYTE, 1, f.imageWidth, AV_PIX_FMT_PAL8,
                    f.image);
        }
        recorder.stop();
    }

    @Override
    void release() {
        FFmpegSupport.closeQuietly(recorder);
        if (filter != null) {
            try {
                filter.close();
            } catch (Exception ignored) {
                // nothing useful to do
            }
            filter = null;
        }
        if (bgr != null) {
            bgr.close();
            bgr = null;
        }
        if (scaler != null) {
            scaler.close();
            scaler = null;
        }
    }
}
