package dev.framewright.transcoder.media;

import dev.framewright.events.FaceRedaction;
import dev.framewright.events.FailureCode;
import dev.framewright.transcoder.media.faces.FaceBox;
import dev.framewright.transcoder.media.faces.FaceDetector;
import dev.framewright.transcoder.media.faces.Obscure;
import dev.framewright.events.ImageFormat;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.rules.OutputRules;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** One still: a frame of a video, or a resize of an image, fitted to a box. */
public final class ImageRenderer {

    static {
        FFmpegSupport.init();
    }

    public static final double DEFAULT_AT_SECONDS = 1.0;
    public static final ImageFormat DEFAULT_FORMAT = ImageFormat.JPG;
    public static final ImageOutput.Fit DEFAULT_FIT = ImageOutput.Fit.CONTAIN;
    /** Largest output side, pixels (the contract's rulebook). */
    public static final int MAX_SIDE = OutputRules.MAX_SIDE;

    private ImageRenderer() {
    }

    /**
     * @param inputInfo unused (the input is measured as it is decoded); may be null
     * @param outDir    the output's directory (created if missing); the file is {@code image.{jpg,png,webp}}
     * @return the file and what it decodes to
     * @throws MediaException {@code INVALID_OUTPUT}: bad parameters, or an input without video or image;
     *                        {@code UNSUPPORTED_MEDIA}: nothing decodes; {@code INTERNAL}: write failure
     */
    public static RenderedOutput render(Path input, MediaInfo inputInfo, ImageOutput spec, Path outDir)
            throws MediaException {
        OutputPlans.checkRules(spec); // width, height, at_seconds: the contract's rulebook
        Integer boxWidth = spec.width();
        Integer boxHeight = spec.height();
        Double atSeconds = spec.atSeconds();
        ImageFormat format = spec.format() != null ? spec.format() : DEFAULT_FORMAT;
        ImageOutput.Fit fit = spec.fit() != null ? spec.fit() : DEFAULT_FIT;
        String inputName = input.getFileName().toString();
        Path file = outDir.resolve("image." + format.extension());
        boolean success = false;
        FFmpegFrameGrabber grabber = FFmpegSupport.open(input, null);
        try (StillFrames frames = StillFrames.open(grabber, inputName, spec.autorotate() != Boolean.FALSE)) {
            boolean picture = FFmpegSupport.isStillImage(grabber) || FFmpegSupport.isAttachedPicture(grabber);
            AVFrame frame = picture ? frames.next()
                    : frames.frameAt(position(grabber, atSeconds), FFmpegSupport.durationMicros(grabber) > 0);
            if (frame == null) {
                throw new MediaException(FailureCode.UNSUPPORTED_MEDIA, inputName + " has no decodable frame");
            }
            double sar;
            if (frames.filtered()) {
                frame = frames.upright(frame); // turned, deinterlaced, square pixels: the box is in shown pixels
                sar = 1.0;
            } else {
                sar = StillFrames.sampleAspect(frame);
                if (sar == 1.0 && grabber.getAspectRatio() > 0) {
                    sar = grabber.getAspectRatio();
                }
            }
            BufferedImage image = fitted(frames, frame, sar, boxWidth, boxHeight, fit);
            if (spec.redactFaces() != null) {
                redactFaces(image, spec.redactFaces());
            }
            Files.createDirectories(outDir);
            ImageFiles.write(image, format, file);
            MediaInfo media;
            try {
                media = MediaProbe.probe(file);
            } catch (MediaException e) {
                throw new MediaException(FailureCode.INTERNAL, "the written image cannot be read back", e);
            }
            success = true;
            return new RenderedOutput(spec.name(), spec.type(),
                    List.of(new RenderedOutput.File(file.getFileName().toString(), file, format.contentType())), media);
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot write " + file.getFileName(), e);
        } finally {
            FFmpegSupport.closeQuietly(grabber);
            if (!success) {
                ImageFiles.deleteQuietly(file);
            }
        }
    }

    /** Hides every face found in the finished still (detected on the still itself, so the boxes are exact). */
    static void redactFaces(BufferedImage image, FaceRedaction how) {
        int[] det = FaceDetector.detectionSize(image.getWidth(), image.getHeight());
        BufferedImage small = new BufferedImage(det[0], det[1], BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = small.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                    java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, det[0], det[1], null);
        } finally {
            g.dispose();
        }
        byte[] bgr = ((java.awt.image.DataBufferByte) small.getRaster().getDataBuffer()).getData();
        double sx = (double) image.getWidth() / det[0];
        double sy = (double) image.getHeight() / det[1];
        for (FaceBox face : FaceDetector.shared().detectBgr(bgr, det[0], det[1])) {
            Obscure.image(how, image, face.scaled(sx, sy).padded(FaceRedactor.PAD, image.getWidth(),
                    image.getHeight()));
        }
    }

    /** Default 1 s, or half the duration if that is shorter; never past the last frame. */
    static double position(FFmpegFrameGrabber grabber, Double atSeconds) {
        long durationUs = FFmpegSupport.durationMicros(grabber);
        double duration = durationUs > 0 ? durationUs / 1_000_000.0 : -1;
        double at = atSeconds != null ? atSeconds
                : duration > 0 ? Math.min(DEFAULT_AT_SECONDS, duration / 2) : 0;
        if (duration > 0) {
            double fps = grabber.getVideoFrameRate();
            double lastFrame = fps > 0 && Double.isFinite(fps) ? duration - 1 / fps : duration;
            at = Math.min(at, Math.max(0, lastFrame));
        }
        return Math.max(0, at);
    }

    /** Scales (and for cover, centre-crops first) the frame into the box. */
    private static BufferedImage fitted(StillFrames frames, AVFrame frame, double sar, Integer boxWidth,
            Integer boxHeight, ImageOutput.Fit fit) throws MediaException {
        int srcWidth = frame.width();
        int srcHeight = frame.height();
        boolean alpha = StillFrames.hasAlpha(frame);
        if (boxWidth != null && boxHeight != null && fit == ImageOutput.Fit.FILL) {
            return frames.toImage(frame, boxWidth, boxHeight, alpha);
        }
        if (boxWidth != null && boxHeight != null && fit == ImageOutput.Fit.COVER) {
            Crop crop = coverCrop(srcWidth, srcHeight, sar, boxWidth, boxHeight);
            if (crop.width() != srcWidth || crop.height() != srcHeight) {
                StillFrames.crop(frame, crop.left(), crop.top(), crop.width(), crop.height());
            }
            return frames.toImage(frame, boxWidth, boxHeight, alpha);
        }
        BoxFit.Size size = BoxFit.fit(srcWidth, srcHeight, sar, boxWidth, boxHeight);
        if (size.width() > MAX_SIDE || size.height() > MAX_SIDE) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, "the image would be " + size + ", larger than "
                    + MAX_SIDE + " pixels on a side; give a width or height");
        }
        return frames.toImage(frame, size.width(), size.height(), alpha);
    }

    /** A rectangle of source pixels. */
    record Crop(int left, int top, int width, int height) {
    }

    /**
     * The centred region of the source that, scaled to the box, fills it with the display aspect kept (CSS
     * {@code object-fit: cover}).
     */
    static Crop coverCrop(int srcWidth, int srcHeight, double sampleAspect, int boxWidth, int boxHeight) {
        double sar = sampleAspect > 0 && Double.isFinite(sampleAspect) ? sampleAspect : 1.0;
        double displayWidth = srcWidth * sar;
        double scale = Math.max(boxWidth / displayWidth, (double) boxHeight / srcHeight);
        int width = (int) Math.max(1, Math.min(srcWidth, Math.round(boxWidth / scale / sar)));
        int height = (int) Math.max(1, Math.min(srcHeight, Math.round(boxHeight / scale)));
        return new Crop((srcWidth - width) / 2, (srcHeight - height) / 2, width, height);
    }
}
