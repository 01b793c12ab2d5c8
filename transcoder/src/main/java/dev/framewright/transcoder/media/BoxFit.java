package dev.framewright.transcoder.media;

/**
 * Output sizes: the largest size with the source's display aspect ratio that fits inside a box. The box may give
 * only a width or only a height (the other follows the aspect ratio), or neither (the source's display size). The
 * result may be larger than the source when the box is larger (fit, not just shrink). Never returns 0.
 */
public final class BoxFit {

    /** A width x height in pixels (square pixels). */
    public record Size(int width, int height) {
        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    private BoxFit() {
    }

    /** Fit for stills: any integer size, rounded to nearest. Square source pixels. */
    public static Size fit(int srcWidth, int srcHeight, Integer boxWidth, Integer boxHeight) {
        return fit(srcWidth, srcHeight, 1.0, boxWidth, boxHeight);
    }

    /**
     * Fit for stills: any integer size, rounded to nearest, at least 1, never outside the box.
     *
     * @param sampleAspect the source's sample (pixel) aspect ratio; &lt;= 0, NaN or infinite means 1
     * @throws IllegalArgumentException when the source size or a given box dimension is not positive
     */
    public static Size fit(int srcWidth, int srcHeight, double sampleAspect, Integer boxWidth, Integer boxHeight) {
        double[] d = exact(srcWidth, srcHeight, sampleAspect, boxWidth, boxHeight);
        return new Size(round(d[0], boxWidth, 1), round(d[1], boxHeight, 1));
    }

    /** Fit for video: both dimensions even (what yuv420p/H.264 need), at least 2. Square source pixels. */
    public static Size evenVideoSize(int srcWidth, int srcHeight, Integer boxWidth, Integer boxHeight) {
        return evenVideoSize(srcWidth, srcHeight, 1.0, boxWidth, boxHeight);
    }

    /**
     * Fit for video: both dimensions rounded to the nearest even number, at least 2, never outside the box (an odd
     * box dimension rounds down to even).
     *
     * @param sampleAspect the source's sample (pixel) aspect ratio; &lt;= 0, NaN or infinite means 1
     * @throws IllegalArgumentException when the source size or a given box dimension is not positive
     */
    public static Size evenVideoSize(int srcWidth, int srcHeight, double sampleAspect, Integer boxWidth,
            Integer boxHeight) {
        double[] d = exact(srcWidth, srcHeight, sampleAspect, boxWidth, boxHeight);
        return new Size(round(d[0], boxWidth, 2), round(d[1], boxHeight, 2));
    }

    private static double[] exact(int srcWidth, int srcHeight, double sampleAspect, Integer boxWidth,
            Integer boxHeight) {
        if (srcWidth <= 0 || srcHeight <= 0) {
            throw new IllegalArgumentException("source size must be positive, was " + srcWidth + "x" + srcHeight);
        }
        if (boxWidth != null && boxWidth <= 0) {
            throw new IllegalArgumentException("box width must be positive, was " + boxWidth);
        }
        if (boxHeight != null && boxHeight <= 0) {
            throw new IllegalArgumentException("box height must be positive, was " + boxHeight);
        }
        double sar = sampleAspect > 0 && Double.isFinite(sampleAspect) ? sampleAspect : 1.0;
        double displayWidth = srcWidth * sar;
        double displayHeight = srcHeight;
        double scale;
        if (boxWidth == null && boxHeight == null) {
            scale = 1.0;
        } else if (boxHeight == null) {
            scale = boxWidth / displayWidth;
        } else if (boxWidth == null) {
            scale = boxHeight / displayHeight;
        } else {
            scale = Math.min(boxWidth / displayWidth, boxHeight / displayHeight);
        }
        return new double[] {displayWidth * scale, displayHeight * scale};
    }

    private static int round(double value, Integer box, int multiple) {
        long r = Math.round(value / multiple) * multiple;
        if (box != null) {
            r = Math.min(r, (box / multiple) * (long) multiple);
        }
        return (int) Math.max(multiple, Math.min(r, Integer.MAX_VALUE - 1));
    }
}
