package dev.framewright.transcoder.media.faces;

/**
 * A face's box in pixels of the picture it was found in (x, y: top left), with the detector's neighbour count: how
 * many overlapping candidate windows voted for it (more is surer; the detector keeps boxes with at least
 * {@link FaceDetector#MIN_NEIGHBORS}).
 */
public record FaceBox(int x, int y, int width, int height, int neighbors) {

    /** Intersection over union with another box, 0 to 1. */
    public double iou(FaceBox o) {
        int ix = Math.max(0, Math.min(x + width, o.x + o.width) - Math.max(x, o.x));
        int iy = Math.max(0, Math.min(y + height, o.y + o.height) - Math.max(y, o.y));
        double inter = (double) ix * iy;
        double union = (double) width * height + (double) o.width * o.height - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** This box in another picture size (the same picture scaled). */
    public FaceBox scaled(double sx, double sy) {
        return new FaceBox((int) Math.round(x * sx), (int) Math.round(y * sy), (int) Math.round(width * sx),
                (int) Math.round(height * sy), neighbors);
    }

    /** Grown by {@code fraction} of its size on every side, clipped to a {@code w x h} picture. */
    public FaceBox padded(double fraction, int w, int h) {
        int dx = (int) Math.round(width * fraction);
        int dy = (int) Math.round(height * fraction);
        int x0 = Math.max(0, x - dx);
        int y0 = Math.max(0, y - dy);
        int x1 = Math.min(w, x + width + dx);
        int y1 = Math.min(h, y + height + dy);
        return new FaceBox(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0), neighbors);
    }
}
