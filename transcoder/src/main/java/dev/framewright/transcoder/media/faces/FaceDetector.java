package dev.framewright.transcoder.media.faces;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

/**
 * Frontal faces by OpenCV's Haar cascade ({@code haarcascade_frontalface_default.xml}, shipped in the opencv natives
 * jar). The cascade is parsed once per worker process, not per job: {@link #shared()} is lazy, and since a
 * {@link CascadeClassifier} is not thread safe each concurrent caller borrows one from a small pool (one is parsed
 * per thread that ever detects at the same time, at most the worker pool's size).
 */
public final class FaceDetector {

    static final String CASCADE = "/org/bytedeco/opencv/" + Loader.getPlatform()
            + "/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
    /** Pictures are detected at most this many pixels on their longer side (faster; faces under ~5% are missed). */
    public static final int MAX_SIDE = 640;
    /** The smallest face looked for, pixels of the detection picture. */
    public static final int MIN_FACE = 24;
    /** Fewer votes than this is noise (textures, test patterns); a clear frontal face gets dozens. */
    public static final int MIN_NEIGHBORS = 6;
    private static final double SCALE_FACTOR = 1.1;

    private static volatile FaceDetector shared;

    private final File cascade;
    private final ConcurrentLinkedQueue<CascadeClassifier> idle = new ConcurrentLinkedQueue<>();

    private FaceDetector(File cascade) {
        this.cascade = cascade;
    }

    /** The worker's detector; the first call extracts the cascade and loads OpenCV (a few seconds, once). */
    public static FaceDetector shared() {
        FaceDetector d = shared;
        if (d == null) {
            synchronized (FaceDetector.class) {
                d = shared;
                if (d == null) {
                    try {
                        d = new FaceDetector(Loader.cacheResource(FaceDetector.class, CASCADE));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot extract the face cascade " + CASCADE, e);
                    }
                    d.idle.add(d.load()); // fail here, on the first use, if the cascade does not parse
                    shared = d;
                }
            }
        }
        return d;
    }

    private CascadeClassifier load() {
        CascadeClassifier c = new CascadeClassifier(cascade.getAbsolutePath());
        if (c.empty()) {
            c.close();
            throw new IllegalStateException("the face cascade " + cascade + " did not load");
        }
        return c;
    }

    /**
     * Faces in a packed BGR picture (3 bytes a pixel, rows {@code width * 3} long), boxes in its pixels, largest
     * first. Callers scale the picture to at most {@link #MAX_SIDE} first ({@link #detectionSize}).
     */
    public List<FaceBox> detectBgr(byte[] bgr, int width, int height) {
        CascadeClassifier c = idle.poll();
        if (c == null) {
            c = load();
        }
        try (BytePointer data = new BytePointer(bgr);
                Mat picture = new Mat(height, width, CV_8UC3, data);
                Mat gray = new Mat();
                RectVector found = new RectVector();
                IntPointer votes = new IntPointer();
                Size min = new Size(MIN_FACE, MIN_FACE);
                Size max = new Size()) {
            cvtColor(picture, gray, COLOR_BGR2GRAY);
            equalizeHist(gray, gray);
            c.detectMultiScale2(gray, found, votes, SCALE_FACTOR, MIN_NEIGHBORS, 0, min, max);
            List<FaceBox> faces = new ArrayList<>();
            for (int i = 0; i < found.size(); i++) {
                Rect r = found.get(i);
                int n = i < Math.max(votes.limit(), votes.capacity()) ? votes.get(i) : MIN_NEIGHBORS;
                faces.add(new FaceBox(r.x(), r.y(), r.width(), r.height(), n));
            }
            faces.sort((a, b) -> Integer.compare(b.width() * b.height(), a.width() * a.height()));
            return faces;
        } finally {
            idle.add(c);
        }
    }

    /** The size a {@code width x height} picture is detected at: at most {@link #MAX_SIDE}, never enlarged. */
    public static int[] detectionSize(int width, int height) {
        double s = Math.min(1.0, (double) MAX_SIDE / Math.max(width, height));
        return new int[] {Math.max(1, (int) Math.round(width * s)), Math.max(1, (int) Math.round(height * s))};
    }
}
