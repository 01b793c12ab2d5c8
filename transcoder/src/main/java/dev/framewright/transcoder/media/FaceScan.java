package dev.framewright.transcoder.media;

import dev.framewright.events.FailureCode;
import dev.framewright.events.rules.OutputRules;
import dev.framewright.transcoder.media.faces.FaceBox;
import dev.framewright.transcoder.media.faces.FaceDetector;
import dev.framewright.transcoder.media.faces.FaceTracks;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Finds the faces of an input: the one picture of an image, or one frame every {@code everySeconds} of a video (the
 * first frame shown at or after each sample time, decoded in order). Each picture is taken as displayed (upright,
 * square pixels), scaled down to the detector's size, and the boxes come back in displayed-frame pixels.
 */
final class FaceScan {

    /** @param width, height the displayed frame the boxes are in; detectSeconds the time spent in the detector */
    record Result(int width, int height, FaceTracks tracks, double detectSeconds) {
    }

    private FaceScan() {
    }

    static Result scan(Path input, double everySeconds) throws MediaException {
        String inputName = input.getFileName().toString();
        FaceDetector detector = FaceDetector.shared();
        FaceTracks tracks = new FaceTracks();
        FFmpegFrameGrabber grabber = FFmpegSupport.open(input, null);
        try (StillFrames frames = StillFrames.open(grabber, inputName)) {
            boolean picture = FFmpegSupport.isStillImage(grabber) || FFmpegSupport.isAttachedPicture(grabber);
            int width = 0;
            int height = 0;
            long detectNanos = 0;
            double next = 0;
            int index = 0;
            AVFrame f;
            while ((f = frames.next()) != null) {
                double t = picture ? 0 : frames.seconds(f);
                if (Double.isNaN(t)) {
                    t = index * everySeconds;
                }
                if (t + 1e-6 < next) {
                    continue;
                }
                double sar = 1.0;
                AVFrame shown = f;
                if (frames.filtered()) {
                    shown = frames.upright(f);
                } else {
                    sar = StillFrames.sampleAspect(f);
                    if (sar == 1.0 && grabber.getAspectRatio() > 0) {
                        sar = grabber.getAspectRatio();
                    }
                }
                width = Math.max(1, (int) Math.round(shown.width() * sar));
                height = shown.height();
                int[] det = FaceDetector.detectionSize(width, height);
                BufferedImage image = frames.toImage(shown, det[0], det[1], false);
                byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
                long t0 = System.nanoTime();
                List<FaceBox> boxes = detector.detectBgr(bgr, det[0], det[1]);
                detectNanos += System.nanoTime() - t0;
                double sx = (double) width / det[0];
                double sy = (double) height / det[1];
                tracks.add(t, boxes.stream().map(b -> b.scaled(sx, sy)).toList());
                if (++index > OutputRules.FACES_MAX_SAMPLES) {
                    throw new MediaException(FailureCode.INVALID_OUTPUT, "more than " + OutputRules.FACES_MAX_SAMPLES
                            + " face samples; sample less often (every_seconds)");
                }
                if (picture) {
                    break;
                }
                next = (Math.floor(t / everySeconds + 1e-9) + 1) * everySeconds;
            }
            if (index == 0) {
                throw new MediaException(FailureCode.UNSUPPORTED_MEDIA, inputName + " has no decodable frame");
            }
            return new Result(width, height, tracks, detectNanos / 1e9);
        } finally {
            FFmpegSupport.closeQuietly(grabber);
        }
    }
}
