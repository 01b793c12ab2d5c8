package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_H264_HIGH;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;

import dev.framewright.events.FailureCode;
import dev.framewright.events.MediaInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/** Transcodes any FFmpeg-readable video to MP4 (H.264 High / yuv420p via libx264, AAC audio, faststart). */
public final class VideoTranscoder {

    static {
        FFmpegSupport.init();
    }

    /** Frame rate used when the source does not declare a usable one. */
    static final double FALLBACK_FRAME_RATE = 25.0;
    /** Audio sample rate used when the source does not declare one, or one AAC cannot carry. */
    static final int FALLBACK_SAMPLE_RATE = 48_000;

    private VideoTranscoder() {
    }

    /**
     * @param input     a local media file with a video stream
     * @param outputMp4 where to write the MP4 (overwritten; deleted again on failure)
     * @param enc       box size and encoder settings
     * @param progress  called about once per video frame with the input position; may be null
     * @return the output as {@link MediaProbe} describes it
     * @throws MediaException {@code INPUT_MISSING}: no input file; {@code UNSUPPORTED_MEDIA}: not decodable or no
     *                        video stream; {@code INVALID_OUTPUT}: bad encoding parameters; {@code INTERNAL}: libx264
     *                        missing, encoder/muxer/disk failure
     */
    public static MediaInfo transcode(Path input, Path outputMp4, VideoEncoding enc, ProgressListener progress)
            throws MediaException {
        if (enc == null) {
            enc = VideoEncoding.defaults(null, null);
        }
        String problem = enc.problem();
        if (problem != null) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, problem);
        }
        if (!FFmpegSupport.hasEncoder("libx264")) {
            throw new MediaException(FailureCode.INTERNAL,
                    "the FFmpeg build has no libx264 encoder (use the -gpl ffmpeg natives)");
        }
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;

        // Decoding straight to yuv420p (the encoder's format) is much faster than JavaCV's default BGR24.
        FFmpegFrameGrabber grabber = FFmpegSupport.open(input, g -> g.setPixelFormat(AV_PIX_FMT_YUV420P));
        FFmpegFrameRecorder recorder = null;
        BytePointer packed = null;
        boolean success = false;
        try {
            if (!grabber.hasVideo() || FFmpegSupport.isAttachedPicture(grabber)
                    || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
                throw new MediaException(FailureCode.UNSUPPORTED_MEDIA,
                        input.getFileName() + " has no video stream");
            }
            BoxFit.Size size = BoxFit.evenVideoSize(grabber.getImageWidth(), grabber.getImageHeight(),
                    grabber.getAspectRatio(), enc.width(), enc.height());
            double fps = grabber.getVideoFrameRate();
            if (!(fps > 0 && fps <= 1000 && Double.isFinite(fps))) {
                fps = FALLBACK_FRAME_RATE;
            }
            boolean audio = grabber.hasAudio() && grabber.getAudioChannels() > 0;

            // The grabber scales (one swscale pass: decoder format + source size -> yuv420p + output size).
            grabber.setImageScalingFlags(SWS_BICUBIC);
            grabber.setImageWidth(size.width());
            grabber.setImageHeight(size.height());

            recorder = new FFmpegFrameRecorder(outputMp4.toFile(), size.width(), size.height(),
                    audio ? Math.min(grabber.getAudioChannels(), 2) : 0);
            recorder.setFormat("mp4");
            recorder.setVideoCodec(AV_CODEC_ID_H264);
            recorder.setVideoCodecName("libx264");
            // JavaCV defaults H.264 to Constrained Baseline (no B-frames, no CABAC); High plays everywhere today
            // and is noticeably smaller at the same CRF.
            recorder.setVideoProfile(AV_PROFILE_H264_HIGH);
            recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setImageScalingFlags(SWS_BICUBIC);
            recorder.setVideoOption("crf", Integer.toString(enc.crf()));
            recorder.setVideoOption("preset", enc.preset());
            if (enc.threads() > 0) {
                recorder.setVideoOption("threads", Integer.toString(enc.threads()));
            } // else JavaCV sets thread_count 0 = auto
            recorder.setOption("movflags", "+faststart");
            if (audio) {
                recorder.setAudioCodec(AV_CODEC_ID_AAC);
                recorder.setAudioBitrate(enc.audioBitrate());
                recorder.setSampleRate(aacSampleRate(grabber.getSampleRate()));
            }
            try {
                recorder.start();
            } catch (FrameRecorder.Exception | RuntimeException e) {
                throw new MediaException(FailureCode.INTERNAL, "cannot start the H.264/AAC encoder for "
                        + size + " at " + fps + " fps", e);
            }

            long startUs = FFmpegSupport.startMicros(grabber);
            long wallStart = System.nanoTime();
            long videoFrames = 0;
            int packedSize = av_image_get_buffer_size(AV_PIX_FMT_YUV420P, size.width(), size.height(), 1);
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new MediaException(FailureCode.INTERNAL, "transcode interrupted");
                }
                Frame frame;
                try {
                    frame = grabber.grab();
                } catch (FrameGrabber.Exception | RuntimeException e) {
                    throw new MediaException(FailureCode.UNSUPPORTED_MEDIA,
                            "cannot decode " + input.getFileName() + " at " + seconds(grabber.getTimestamp() - startUs)
                                    + " s",
                            e);
                }
                if (frame == null) {
                    break;
                }
                try {
                    if (frame.image != null) {
                        double mediaSeconds = Math.max(0, frame.timestamp - startUs) / 1_000_000.0;
                        // Keep the frame on its source time: the recorder's pts counts frames at the output rate.
                        // Gaps in the source (variable frame rate) advance the pts; it never goes backwards.
                        long pts = Math.round(mediaSeconds * fps);
                        if (pts > recorder.getFrameNumber()) {
                            recorder.setFrameNumber((int) Math.min(pts, Integer.MAX_VALUE));
                        }
                        if (frame.imageStride == frame.imageWidth) {
                            recorder.record(frame, AV_PIX_FMT_YUV420P);
                        } else {
                            // JavaCV pads the grabbed picture's lines to 64 bytes, but the recorder derives the
                            // chroma plane offsets from the width: hand it a tightly packed copy instead.
                            if (packed == null) {
                                packed = new BytePointer(packedSize);
                            }
                            AVFrame picture = (AVFrame) frame.opaque;
                            int ret = av_image_copy_to_buffer(packed, packedSize, new PointerPointer<>(picture),
                                    picture.linesize(), AV_PIX_FMT_YUV420P, size.width(), size.height(), 1);
                            if (ret < 0) {
                                throw new MediaException(FailureCode.INTERNAL,
                                        "av_image_copy_to_buffer failed with " + ret);
                            }
                            recorder.recordImage(size.width(), size.height(), Frame.DEPTH_UBYTE, 1, size.width(),
                                    AV_PIX_FMT_YUV420P, packed.position(0).limit(packedSize).asBuffer());
                        }
                        videoFrames++;
                        double wall = (System.nanoTime() - wallStart) / 1e9;
                        listener.onProgress(mediaSeconds, wall > 0 ? videoFrames / wall : 0);
                    } else if (frame.samples != null && audio) {
                        recorder.recordSamples(frame.sampleRate, frame.audioChannels, frame.samples);
                    }
                } catch (FrameRecorder.Exception | RuntimeException e) {
                    throw new MediaException(FailureCode.INTERNAL, "encoding failed at "
                            + seconds(frame.timestamp - startUs) + " s", e);
                }
            }
            if (videoFrames == 0) {
                throw new MediaException(FailureCode.UNSUPPORTED_MEDIA,
                        input.getFileName() + " has no decodable video frame");
            }
            try {
                recorder.stop();
            } catch (FrameRecorder.Exception | RuntimeException e) {
                throw new MediaException(FailureCode.INTERNAL, "cannot finish writing the MP4", e);
            }
            FFmpegSupport.closeQuietly(recorder);
            recorder = null;
            MediaInfo info;
            try {
                info = MediaProbe.probe(outputMp4);
            } catch (MediaException e) {
                throw new MediaException(FailureCode.INTERNAL, "the written MP4 cannot be read back", e);
            }
            success = true;
            return info;
        } finally {
            FFmpegSupport.closeQuietly(recorder);
            FFmpegSupport.closeQuietly(grabber);
            if (packed != null) {
                packed.close();
            }
            if (!success) {
                deleteQuietly(outputMp4);
            }
        }
    }

    /** The source rate when FFmpeg's AAC encoder supports it, else 48 kHz (the recorder resamples). */
    static int aacSampleRate(int sourceRate) {
        return AAC_SAMPLE_RATES.contains(sourceRate) ? sourceRate : FALLBACK_SAMPLE_RATE;
    }

    private static final java.util.Set<Integer> AAC_SAMPLE_RATES = java.util.Set.of(96_000, 88_200, 64_000, 48_000,
            44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000, 7_350);

    private static String seconds(long micros) {
        return String.format(java.util.Locale.ROOT, "%.2f", Math.max(0, micros) / 1_000_000.0);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
