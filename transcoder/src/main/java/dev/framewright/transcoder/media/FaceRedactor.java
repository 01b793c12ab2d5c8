package dev.framewright.transcoder.media;

import dev.framewright.events.FaceRedaction;
import dev.framewright.transcoder.media.faces.FaceBox;
import dev.framewright.transcoder.media.faces.Obscure;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;

/**
 * Hides the faces of a {@link FaceScan} in packed yuv420p pictures of one output size: at each frame's media time
 * the tracked boxes ({@link dev.framewright.transcoder.media.faces.FaceTracks#at}), scaled from the displayed frame
 * to the output and padded by {@link #PAD} on every side (the detector's box is tight on the face).
 */
final class FaceRedactor {

    /** Samples per second of the scan a redacted video runs first. */
    static final double EVERY_SECONDS = 0.5;
    static final double PAD = 0.2;

    private final FaceRedaction how;
    private final FaceScan.Result scan;
    private final int width;
    private final int height;

    FaceRedactor(FaceRedaction how, FaceScan.Result scan, int width, int height) {
        this.how = how;
        this.scan = scan;
        this.width = width;
        this.height = height;
    }

    /** @param seconds the picture's source media time */
    void apply(BytePointer picture, double seconds) {
        ByteBuffer buf = picture.position(0).limit(width * height * 3L / 2).asByteBuffer();
        double sx = (double) width / scan.width();
        double sy = (double) height / scan.height();
        int cStride = width / 2;
        int uBase = width * height;
        int vBase = uBase + cStride * (height / 2);
        for (FaceBox face : scan.tracks().at(seconds)) {
            FaceBox b = face.scaled(sx, sy).padded(PAD, width, height);
            Obscure.plane(how, buf, 0, width, b.x(), b.y(), b.width(), b.height());
            int cx = b.x() / 2;
            int cy = b.y() / 2;
            int cw = Math.min(cStride, (b.x() + b.width() + 1) / 2) - cx;
            int ch = Math.min(height / 2, (b.y() + b.height() + 1) / 2) - cy;
            Obscure.plane(how, buf, uBase, cStride, cx, cy, cw, ch);
            Obscure.plane(how, buf, vBase, cStride, cx, cy, cw, ch);
        }
    }
}
