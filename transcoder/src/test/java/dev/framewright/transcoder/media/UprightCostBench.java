package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import dev.framewright.events.VideoOutput;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What turning pictures upright and deinterlacing cost per frame on a 10 s 1080p clip: decode alone, decode plus
 * the upright chain, and a whole render of a portrait clip stored turned against the same clip stored upright. Not
 * a test: run with {@code -Dbench=true -Dtest=UprightCostBench}; it prints its figures.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class UprightCostBench {

    @Test
    void printCosts() throws Exception {
        Path turned = clip("turned.mp4", 1920, 1080, -90); // shown 1080x1920
        Path upright = clip("upright.mp4", 1080, 1920, 0);
        PictureGeometry g = new PictureGeometry(1920, 1080, 1, 1, 90, null);
        PictureGeometry i = new PictureGeometry(1920, 1080, 1, 1, 0, "tt");
        for (int round = 0; round < 2; round++) {
            double decode = perFrame(turned, null);
            double rotate = perFrame(turned, g.filter(null, "yuv420p", false));
            double rotateTo720 = perFrame(turned, g.filter(new BoxFit.Size(406, 720), "yuv420p", false));
            double bwdif = perFrame(turned, i.filter(null, "yuv420p", false));
            System.out.printf(Locale.ROOT, "BENCH per 1080p frame: decode %.2f ms, +transpose %.2f ms, "
                    + "+scale to 406x720+transpose %.2f ms, +bwdif %.2f ms%n", decode, rotate - decode,
                    rotateTo720 - decode, bwdif - decode);
        }
        for (Integer height : new Integer[] {null, 720}) {
            long a = render(turned, height);
            long b = render(upright, height);
            System.out.printf(Locale.ROOT, "BENCH render height %s crf 23: stored turned %d ms, stored upright %d ms%n",
                    height, a, b);
        }
    }

    private static long render(Path input, Integer height) throws Exception {
        long t0 = System.nanoTime();
        MediaPipelineTestSupport.render(input, List.of(new VideoOutput("v", null, null, height, null, 23, null, null,
                null, null, null)));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Milliseconds per decoded frame, with the frames pushed through {@code chain} when it is given. */
    private static double perFrame(Path file, String chain) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
                PictureFilter f = chain == null ? null : new PictureFilter(chain, 1, 1)) {
            g.setPixelFormat(AV_PIX_FMT_YUV420P);
            g.setImageMode(FrameGrabber.ImageMode.RAW);
            g.start();
            long t0 = System.nanoTime();
            int n = 0;
            Frame frame;
            while ((frame = g.grabImage()) != null) {
                n++;
                if (f != null) {
                    f.push((AVFrame) frame.opaque, frame.timestamp);
                    while (f.pull() != null) {
                        // drained
                    }
                }
            }
            return (System.nanoTime() - t0) / 1e6 / n;
        }
    }

    private static Path clip(String name, int w, int h, int matrix) throws Exception {
        Path out = TestMedia.newDir().resolve(name);
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), w, h, 0)) {
            r.setFormat("mp4");
            r.setVideoCodecName("libx264");
            r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(25);
            r.setVideoOption("preset", "ultrafast");
            r.setVideoOption("crf", "23");
            if (matrix != 0) {
                r.setDisplayRotation(matrix);
            }
            r.start();
            byte[] bgr = new byte[w * h * 3];
            ByteBuffer buf = ByteBuffer.allocateDirect(bgr.length);
            for (int f = 0; f < 250; f++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int o = (y * w + x) * 3;
                        boolean bar = Math.abs(x - (f * 7) % w) < 40;
                        bgr[o] = (byte) (bar ? 255 : x);
                        bgr[o + 1] = (byte) (bar ? 255 : y);
                        bgr[o + 2] = (byte) (x ^ y ^ f);
                    }
                }
                buf.clear();
                buf.put(bgr).flip();
                r.recordImage(w, h, Frame.DEPTH_UBYTE, 3, w * 3, avutil.AV_PIX_FMT_BGR24, buf);
            }
            r.stop();
        }
        return out;
    }
}
