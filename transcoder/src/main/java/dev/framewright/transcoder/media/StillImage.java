package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;

import dev.framewright.events.FailureCode;
import dev.framewright.events.MediaInfo;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Writes a JPEG still (thumbnail / poster) of a video frame or an image, fitted inside a box with the aspect ratio
 * kept. FFmpeg decodes and scales (bicubic); the JDK's JPEG writer encodes, so any size, odd ones included, works.
 */
public final class StillImage {

    static {
        FFmpegSupport.init();
    }

    /** Box used when neither width nor height is given. */
    public static final int DEFAULT_BOX = 100;
    /** Default position in a video, capped at half its duration. */
    public static final double DEFAULT_AT_SECONDS = 1.0;
    /** libjpeg-style quality 0..1; 0.9 is about {@code ffmpeg -q:v 2..3}. */
    static final float JPEG_QUALITY = 0.9f;

    private StillImage() {
    }

    /**
     * @param input      a local video or image file
     * @param outputJpeg where to write the JPEG (overwritten; deleted again on failure)
     * @param width      box width or null
     * @param height     box height or null (both null: a {@value #DEFAULT_BOX}x{@value #DEFAULT_BOX} box)
     * @param atSeconds  position in a video; null: 1 s, or half the duration if that is shorter. Clamped to the
     *                   video. Ignored for an image input.
     * @return the written JPEG as {@link MediaProbe} describes it
     * @throws MediaException {@code INPUT_MISSING}: no input file; {@code UNSUPPORTED_MEDIA}: not decodable or no
     *                        video/image stream; {@code INVALID_OUTPUT}: bad box; {@code INTERNAL}: write failure
     */
    public static MediaInfo extract(Path input, Path outputJpeg, Integer width, Integer height, Double atSeconds)
            throws MediaException {
        if (width == null && height == null) {
            width = DEFAULT_BOX;
            height = DEFAULT_BOX;
        }
        if ((width != null && width <= 0) || (height != null && height <= 0)) {
            throw new MediaException(FailureCode.INVALID_OUTPUT,
                    "still size must be positive, was " + width + "x" + height);
        }
        if (atSeconds != null && (atSeconds.isNaN() || atSeconds.isInfinite())) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, "still position must be a number of seconds");
        }
        FFmpegFrameGrabber grabber = FFmpegSupport.open(input, null);
        boolean success = false;
        try {
            if (!grabber.hasVideo() || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
                throw new MediaException(FailureCode.UNSUPPORTED_MEDIA,
                        input.getFileName() + " has no video or image stream");
            }
            BoxFit.Size size = BoxFit.fit(grabber.getImageWidth(), grabber.getImageHeight(),
                    grabber.getAspectRatio(), width, height);
            grabber.setImageScalingFlags(SWS_BICUBIC | SWS_ACCURATE_RND);
            grabber.setImageWidth(size.width());
            grabber.setImageHeight(size.height());

            BufferedImage image;
            try {
                Frame frame = grabFrame(grabber, atSeconds);
                if (frame == null) {
                    throw new MediaException(FailureCode.UNSUPPORTED_MEDIA,
                            input.getFileName() + " has no decodable video frame");
                }
                image = toBufferedImage(frame);
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new MediaException(FailureCode.UNSUPPORTED_MEDIA,
                        "cannot decode a frame of " + input.getFileName(), e);
            }
            writeJpeg(image, outputJpeg);
            MediaInfo info;
            try {
                info = MediaProbe.probe(outputJpeg);
            } catch (MediaException e) {
                throw new MediaException(FailureCode.INTERNAL, "the written JPEG cannot be read back", e);
            }
            success = true;
            return info;
        } finally {
            FFmpegSupport.closeQuietly(grabber);
            if (!success) {
                VideoTranscoder.deleteQuietly(outputJpeg);
            }
        }
    }

    private static Frame grabFrame(FFmpegFrameGrabber grabber, Double atSeconds) throws FrameGrabber.Exception {
        if (FFmpegSupport.isStillImage(grabber)) {
            return grabber.grabImage();
        }
        long durationUs = FFmpegSupport.durationMicros(grabber);
        double duration = durationUs > 0 ? durationUs / 1_000_000.0 : -1;
        double at = atSeconds != null ? atSeconds
                : duration > 0 ? Math.min(DEFAULT_AT_SECONDS, duration / 2) : 0;
        if (duration > 0) {
            double fps = grabber.getVideoFrameRate();
            double lastFrame = fps > 0 && Double.isFinite(fps) ? duration - 1 / fps : duration;
            at = Math.min(at, Math.max(0, lastFrame));
        }
        at = Math.max(0, at);
        if (at > 0) {
            // precise seek: JavaCV seeks to the key frame before and decodes up to the requested time
            grabber.setVideoTimestamp(Math.round(at * 1_000_000));
        }
        Frame frame = grabber.grabImage();
        if (frame == null && at > 0) {
            // seeking past the last decodable frame (duration over-reported): fall back to the first frame
            grabber.setTimestamp(0);
            frame = grabber.grabImage();
        }
        return frame;
    }

    /**
     * Copies a grabbed BGR24 frame into a plain {@code TYPE_3BYTE_BGR} image. (JavaCV's Java2DFrameConverter keeps
     * the grabber's 64-byte-aligned line stride in a custom raster, which the JDK's JPEG writer rejects with "Bogus
     * input colorspace" whenever width * 3 is not a multiple of 64.)
     */
    private static BufferedImage toBufferedImage(Frame frame) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        // the grabber's default pixel format is BGR24 (frame.imageChannels is stride / width, unreliable with padding)
        if (frame.imageDepth != Frame.DEPTH_UBYTE || frame.imageStride < w * 3) {
            throw new IllegalStateException("expected a BGR24 frame");
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
        for (int y = 0; y < h; y++) {
            src.limit(y * frame.imageStride + w * 3).position(y * frame.imageStride);
            src.get(dst, y * w * 3, w * 3);
        }
        return image;
    }

    private static void writeJpeg(BufferedImage image, Path outputJpeg) throws MediaException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new MediaException(FailureCode.INTERNAL, "no JPEG writer in this JDK");
        }
        ImageWriter writer = writers.next();
        try (OutputStream out = Files.newOutputStream(outputJpeg);
                ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot write the JPEG " + outputJpeg.getFileName(), e);
        } finally {
            writer.dispose();
        }
    }
}
