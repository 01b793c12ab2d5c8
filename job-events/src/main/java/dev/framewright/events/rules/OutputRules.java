package dev.framewright.events.rules;

import dev.framewright.events.AudioOutput;
import dev.framewright.events.Container;
import dev.framewright.events.DescribeOutput;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.FacesOutput;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.Loudness;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Overlay;
import dev.framewright.events.PreviewOutput;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.VideoOutput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rulebook of outputs: every limit of every output kind, in one place. job-api answers 400 with these
 * violations; the transcoder checks every request with the same code before it downloads anything, and its plan
 * builders use it for the parameters, so a spec the API accepts is one the transcoder runs. What only the input can
 * decide (a trim start past the input's end, an overlay outside the picture, a sprite too large for the picture's
 * aspect, an input without the stream an output needs) is left to the transcoder and fails that output alone with
 * {@code invalid_output}.
 *
 * <p>Rules: values are finite numbers within the ranges below; a parameter left null takes its default (each record
 * documents it). Field names are the client's snake_case JSON path.
 */
public final class OutputRules {

    /** Outputs per job. */
    public static final int MAX_OUTPUTS = 32;
    /** Largest picture side of video and image outputs, and of overlay coordinates. */
    public static final int MAX_SIDE = 8192;
    /** Longest time value (start, duration, at_seconds, ...), seconds: about 115 days. */
    public static final double MAX_SECONDS = 1e7;

    public static final double VIDEO_MAX_FPS = 120;
    public static final int H264_MAX_CRF = 51;
    public static final int VP9_MAX_CRF = 63;
    public static final int VIDEO_MIN_KBPS = 50;
    public static final int VIDEO_MAX_KBPS = 100_000;

    public static final double HLS_MIN_SEGMENT_SECONDS = 1;
    public static final double HLS_MAX_SEGMENT_SECONDS = 60;
    public static final int HLS_MAX_RENDITIONS = 8;
    public static final int HLS_MIN_HEIGHT = 16;
    public static final int HLS_MAX_HEIGHT = 4320;

    public static final double THUMBNAILS_MAX_EVERY_SECONDS = 86_400;
    /** Most stills one thumbnails output may have, counted or every N seconds. */
    public static final int THUMBNAILS_MAX_STILLS = 2000;
    public static final int THUMBNAILS_MIN_WIDTH = 2;
    public static final int THUMBNAILS_MAX_WIDTH = 3840;

    public static final int IMAGE_MIN_SIDE = 1;

    /** Faces: the densest sampling (25 a second) and the sparsest. */
    public static final double FACES_MIN_EVERY_SECONDS = 0.04;
    public static final double FACES_MAX_EVERY_SECONDS = 3600;
    /** Most samples one faces output may have (the transcoder checks it against the duration). */
    public static final int FACES_MAX_SAMPLES = 20_000;

    /** Describe: labels kept per sample, the default and the most. */
    public static final int DESCRIBE_DEFAULT_TOP = 5;
    public static final int DESCRIBE_MAX_TOP = 100;
    /** Describe: the densest sampling (one every 0.1 s) and the sparsest; samples per output, default and most. */
    public static final double DESCRIBE_MIN_EVERY_SECONDS = 0.1;
    public static final double DESCRIBE_MAX_EVERY_SECONDS = 3600;
    public static final int DESCRIBE_MAX_SAMPLES = 2000;
    /**
     * The one setting that enables {@code describe}: the path of the ONNX classifier model, read under this name by
     * job-api (which refuses a describe output with {@code model_unavailable} when it is unset) and by the
     * transcoder (which loads it). Environment: {@code FRAMEWRIGHT_DESCRIBE_MODEL}; set it for both services.
     */
    public static final String DESCRIBE_MODEL = "framewright.describe.model";
    /**
     * The model's labels, one a line in the order of its output scores. Environment:
     * {@code FRAMEWRIGHT_DESCRIBE_LABELS}; read by the transcoder only. Default: beside the model, its file name with
     * {@code .labels.txt} for {@code .onnx}.
     */
    public static final String DESCRIBE_LABELS = "framewright.describe.labels";
    /** Overlay with anchor faces: the face box grows by at most this fraction of its size on each side. */
    public static final double OVERLAY_MAX_FACE_MARGIN = 1;
    /** Overlay with anchor faces: the most faces covered at a time. */
    public static final int OVERLAY_MAX_FACES = 32;

    public static final int AUDIO_MIN_KBPS = 8;
    public static final int AUDIO_MAX_KBPS = 512;

    public static final double PREVIEW_MAX_SECONDS = 30;
    public static final int PREVIEW_MIN_WIDTH = 16;
    public static final int PREVIEW_MAX_WIDTH = 1920;
    public static final double PREVIEW_MAX_FPS = 50;

    /** {@code audio_track} of video, hls and audio outputs: a 0-based index among the audio streams, or ISO 639. */
    public static final Pattern AUDIO_TRACK = Pattern.compile("[0-9]{1,3}|[A-Za-z]{2,3}");
    public static final double LOUDNESS_MIN_TARGET_LUFS = -40;
    public static final double LOUDNESS_MAX_TARGET_LUFS = -5;
    public static final double LOUDNESS_MIN_TRUE_PEAK_DB = -9;
    public static final double LOUDNESS_MAX_TRUE_PEAK_DB = 0;

    private OutputRules() {
    }

    /** Every violation of a job's outputs, in the order of the outputs; empty when the transcoder can run them. */
    public static List<Violation> check(List<OutputSpec> outputs) {
        List<Violation> out = new ArrayList<>();
        if (outputs == null) {
            out.add(new Violation("outputs", "is required: list at least one output"));
            return out;
        }
        if (outputs.isEmpty() || outputs.size() > MAX_OUTPUTS) {
            out.add(new Violation("outputs", "must list 1 to " + MAX_OUTPUTS + " outputs"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < outputs.size(); i++) {
            OutputSpec output = outputs.get(i);
            String at = "outputs[" + i + "]";
            if (output == null) {
                out.add(new Violation(at, "must be an output object"));
                continue;
            }
            if (output.name() != null && OutputSpec.NAME.matcher(output.name()).matches()
                    && !names.add(output.name())) {
                out.add(new Violation(at + ".name",
                        "'" + output.name() + "' is used twice; output names are unique in a job"));
            }
            out.addAll(check(at + ".", output));
        }
        return out;
    }

    /**
     * The violations of one output on its own (its name included, not its uniqueness).
     *
     * @param prefix put before every field name: {@code "outputs[2]."}, or {@code ""}
     */
    public static List<Violation> check(String prefix, OutputSpec output) {
        Checker c = new Checker(prefix);
        if (output.name() == null) {
            c.error("name", "is required");
        } else if (!OutputSpec.NAME.matcher(output.name()).matches()) {
            c.error("name", "must match " + OutputSpec.NAME.pattern());
        }
        if (output instanceof VideoOutput v) {
            video(c, v);
        } else if (output instanceof HlsOutput h) {
            hls(c, h);
        } else if (output instanceof ThumbnailsOutput t) {
            thumbnails(c, t);
        } else if (output instanceof ImageOutput im) {
            image(c, im);
        } else if (output instanceof AudioOutput a) {
            c.range("bitrate_kbps", a.bitrateKbps(), AUDIO_MIN_KBPS, AUDIO_MAX_KBPS);
            audio(c, a.audioTrack(), a.loudness());
        } else if (output instanceof PreviewOutput p) {
            preview(c, p);
        } else if (output instanceof FacesOutput f) {
            c.range("every_seconds", f.everySeconds(), FACES_MIN_EVERY_SECONDS, FACES_MAX_EVERY_SECONDS);
        } else if (output instanceof DescribeOutput d) {
            c.range("top", d.top(), 1, DESCRIBE_MAX_TOP);
            c.range("every_seconds", d.everySeconds(), DESCRIBE_MIN_EVERY_SECONDS, DESCRIBE_MAX_EVERY_SECONDS);
            c.range("max_samples", d.maxSamples(), 1, DESCRIBE_MAX_SAMPLES);
        }
        return c.violations;
    }

    private static void video(Checker c, VideoOutput v) {
        c.range("width", v.width(), 2, MAX_SIDE);
        c.range("height", v.height(), 2, MAX_SIDE);
        c.positive("fps", v.fps(), VIDEO_MAX_FPS);
        c.range("crf", v.crf(), 0, v.container() == Container.WEBM ? VP9_MAX_CRF : H264_MAX_CRF);
        c.range("bitrate_kbps", v.bitrateKbps(), VIDEO_MIN_KBPS, VIDEO_MAX_KBPS);
        c.range("start", v.start(), 0, MAX_SECONDS);
        c.positive("duration", v.duration(), MAX_SECONDS);
        if (v.overlay() != null) {
            overlay(c, v.overlay());
        }
        if (v.autorotate() == Boolean.FALSE) {
            // faces are found in the picture as displayed: their boxes are not those of the stored frames
            if (v.redactFaces() != null) {
                c.error("redact_faces", "does not go with \"autorotate\": false");
            }
            if (v.overlay() != null && v.overlay().onFaces()) {
                c.error("overlay.anchor", "faces does not go with \"autorotate\": false");
            }
        }
        audio(c, v.audioTrack(), v.loudness());
        if (Boolean.TRUE.equals(v.captions()) && v.container() == Container.WEBM) {
            c.error("captions", "subtitle tracks are muxed into mp4 only (as mov_text); use a captions output for "
                    + "WebVTT files");
        }
    }

    /** The audio parameters video, hls and audio outputs share. */
    private static void audio(Checker c, String audioTrack, Loudness loudness) {
        if (audioTrack != null && !AUDIO_TRACK.matcher(audioTrack).matches()) {
            c.error("audio_track", "must be a 0-based audio track index or an ISO 639 language code");
        }
        if (loudness != null) {
            c.range("loudness.target_lufs", loudness.targetLufs(), LOUDNESS_MIN_TARGET_LUFS,
                    LOUDNESS_MAX_TARGET_LUFS);
            c.range("loudness.true_peak_db", loudness.truePeakDb(), LOUDNESS_MIN_TRUE_PEAK_DB,
                    LOUDNESS_MAX_TRUE_PEAK_DB);
        }
    }

    private static void overlay(Checker c, Overlay o) {
        if ((o.x() == null) != (o.y() == null)) {
            c.error(o.x() == null ? "overlay.x" : "overlay.y",
                    "x and y go together: give both, or neither and a position");
        }
        c.range("overlay.x", o.x(), 0, MAX_SIDE);
        c.range("overlay.y", o.y(), 0, MAX_SIDE);
        c.range("overlay.margin", o.margin(), 0, MAX_SIDE);
        c.range("overlay.width", o.width(), 1, MAX_SIDE);
        c.range("overlay.opacity", o.opacity(), 0, 1);
        c.range("overlay.start", o.start(), 0, MAX_SECONDS);
        c.positive("overlay.end", o.end(), MAX_SECONDS);
        if (o.end() != null && o.end() <= (o.start() == null ? 0 : o.start())) {
            c.error("overlay.end", "must be after start");
        }
        if (o.onFaces()) {
            // placed and sized by each face: the frame placement would be silently ignored
            notWithFaces(c, "overlay.position", o.position());
            notWithFaces(c, "overlay.x", o.x());
            notWithFaces(c, "overlay.y", o.y());
            notWithFaces(c, "overlay.margin", o.margin());
            notWithFaces(c, "overlay.width", o.width());
            c.range("overlay.face_margin", o.faceMargin(), 0, OVERLAY_MAX_FACE_MARGIN);
            c.range("overlay.max_faces", o.maxFaces(), 1, OVERLAY_MAX_FACES);
        } else {
            if (o.faceMargin() != null) {
                c.error("overlay.face_margin", "only goes with \"anchor\": \"faces\"");
            }
            if (o.maxFaces() != null) {
                c.error("overlay.max_faces", "only goes with \"anchor\": \"faces\"");
            }
        }
    }

    private static void notWithFaces(Checker c, String field, Object value) {
        if (value != null) {
            c.error(field, "does not go with \"anchor\": \"faces\" (each face places and sizes the overlay)");
        }
    }

    private static void hls(Checker c, HlsOutput h) {
        c.range("segment_seconds", h.segmentSeconds(), HLS_MIN_SEGMENT_SECONDS, HLS_MAX_SEGMENT_SECONDS);
        audio(c, h.audioTrack(), h.loudness());
        if (h.renditions() == null) {
            return;
        }
        if (h.renditions().isEmpty() || h.renditions().size() > HLS_MAX_RENDITIONS) {
            c.error("renditions", "must list 1 to " + HLS_MAX_RENDITIONS
                    + " renditions, or be left out for the default ladder");
        }
        Set<Integer> heights = new HashSet<>();
        for (int r = 0; r < h.renditions().size(); r++) {
            HlsOutput.Rendition rendition = h.renditions().get(r);
            String at = "renditions[" + r + "]";
            if (rendition == null) {
                c.error(at, "must be an object {height, bitrate_kbps}");
                continue;
            }
            c.range(at + ".height", rendition.height(), HLS_MIN_HEIGHT, HLS_MAX_HEIGHT);
            c.range(at + ".bitrate_kbps", rendition.bitrateKbps(), VIDEO_MIN_KBPS, VIDEO_MAX_KBPS);
            if (!heights.add(rendition.height())) {
                c.error(at + ".height", rendition.height() + " is listed twice");
            }
        }
    }

    private static void thumbnails(Checker c, ThumbnailsOutput t) {
        c.positive("every_seconds", t.everySeconds(), THUMBNAILS_MAX_EVERY_SECONDS);
        c.range("count", t.count(), 1, THUMBNAILS_MAX_STILLS);
        if (t.everySeconds() != null && t.count() != null) {
            c.error("count", "give either every_seconds or count, not both");
        }
        c.range("width", t.width(), THUMBNAILS_MIN_WIDTH, THUMBNAILS_MAX_WIDTH);
    }

    private static void image(Checker c, ImageOutput im) {
        c.range("width", im.width(), IMAGE_MIN_SIDE, MAX_SIDE);
        c.range("height", im.height(), IMAGE_MIN_SIDE, MAX_SIDE);
        c.range("at_seconds", im.atSeconds(), 0, MAX_SECONDS);
    }

    private static void preview(Checker c, PreviewOutput p) {
        c.range("start", p.start(), 0, MAX_SECONDS);
        c.positive("duration", p.duration(), PREVIEW_MAX_SECONDS);
        c.range("width", p.width(), PREVIEW_MIN_WIDTH, PREVIEW_MAX_WIDTH);
        c.positive("fps", p.fps(), PREVIEW_MAX_FPS);
    }

    /** Collects violations under a prefix. NaN and infinities (which a record, unlike JSON, can carry) never pass. */
    private static final class Checker {
        final String prefix;
        final List<Violation> violations = new ArrayList<>();

        Checker(String prefix) {
            this.prefix = prefix;
        }

        void range(String field, Number value, double min, double max) {
            if (value != null && !(value.doubleValue() >= min && value.doubleValue() <= max)) {
                error(field, "must be between " + format(min) + " and " + format(max));
            }
        }

        void positive(String field, Number value, double max) {
            if (value != null && !(value.doubleValue() > 0 && value.doubleValue() <= max)) {
                error(field, "must be greater than 0 and at most " + format(max));
            }
        }

        void error(String field, String message) {
            violations.add(new Violation(prefix + field, message));
        }
    }

    static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
