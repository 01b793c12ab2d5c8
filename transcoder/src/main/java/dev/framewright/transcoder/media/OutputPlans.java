package dev.framewright.transcoder.media;

import dev.framewright.events.AudioOutput;
import dev.framewright.events.Container;
import dev.framewright.events.FailureCode;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.Overlay;
import dev.framewright.events.PreviewOutput;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.VideoOutput;
import dev.framewright.events.rules.OutputRules;
import dev.framewright.events.rules.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place where the defaults of the video-derived outputs are applied and their parameters are checked against
 * the input. The parameters' own limits are the contract's {@link OutputRules}, the same code job-api answers 400
 * with; what is checked here beyond them depends on the input (a start past its end, an overlay outside the
 * picture). Every method either returns a fully resolved plan or throws {@code INVALID_OUTPUT} (or
 * {@code UNSUPPORTED_MEDIA} when the input lacks the stream the output needs) with a sentence for the user.
 *
 * <p>Defaults:
 * <ul>
 * <li>video: container {@code mp4}; size the source's; fps the source's; crf 23 (H.264) / 32 (VP9) unless
 * bitrateKbps; audio on when the source has audio (AAC 128 kbit/s, Opus 96 kbit/s, at most stereo); trim start 0,
 * duration to the end. x264 preset {@value #X264_PRESET}, VP9 {@code deadline=good cpu-used=}{@value #VP9_CPU_USED}.
 * <li>overlay: position bottom-right, margin 2 % of the output width, width the image's own (capped at the output
 * width), opacity 1, from output time 0 to the end.
 * <li>hls: renditions 1080/720/480/360 at 5000/2800/1400/800 kbit/s; rungs taller than the source are dropped (the
 * source height at the lowest rung's bitrate when every rung would be); segments of 6 s; AAC 128 kbit/s.
 * <li>audio: aac 128 kbit/s, mp3 128 kbit/s, opus 96 kbit/s; at most stereo.
 * <li>preview: gif, start 0, duration 3 s (capped at the rest of the source, at most {@value #MAX_PREVIEW_SECONDS}
 * s), width 320, fps 10.
 * </ul>
 */
final class OutputPlans {

    static final String X264_PRESET = "veryfast";
    static final int VP9_CPU_USED = 5;
    static final int DEFAULT_H264_CRF = 23;
    static final int DEFAULT_VP9_CRF = 32;
    static final int DEFAULT_AAC_KBPS = 128;
    static final int DEFAULT_MP3_KBPS = 128;
    static final int DEFAULT_OPUS_KBPS = 96;
    static final double DEFAULT_SEGMENT_SECONDS = 6;
    static final List<HlsOutput.Rendition> DEFAULT_LADDER = List.of(new HlsOutput.Rendition(1080, 5000),
            new HlsOutput.Rendition(720, 2800), new HlsOutput.Rendition(480, 1400), new HlsOutput.Rendition(360, 800));
    static final double DEFAULT_PREVIEW_SECONDS = 3;
    static final int DEFAULT_PREVIEW_WIDTH = 320;
    static final double DEFAULT_PREVIEW_FPS = 10;
    static final double MAX_PREVIEW_SECONDS = OutputRules.PREVIEW_MAX_SECONDS;
    static final double OVERLAY_MARGIN_FRACTION = 0.02;

    private OutputPlans() {
    }

    /** What the decoder found in the input. */
    record Source(int width, int height, double sampleAspect, double fps, boolean video, boolean stillImage,
            boolean audio, int channels, int sampleRate, double durationSeconds) {

        /** The end of the input in seconds, or +infinity when unknown. */
        double end() {
            return durationSeconds > 0 ? durationSeconds : Double.POSITIVE_INFINITY;
        }
    }

    /** A window of the source, in source seconds, [start, end). */
    record Window(double start, double end) {
        double length() {
            return end - start;
        }
    }

    record VideoPlan(Container container, BoxFit.Size size, double fps, Integer crf, Integer bitrateKbps,
            boolean audio, int audioKbps, Window window, OverlayPlan overlay) {
    }

    /**
     * Overlay placement in output pixels and output seconds; the image is scaled to {@code width}. With
     * {@code onFaces} it is placed over each face instead (the box grown by {@code faceMargin} on each side, at most
     * {@code maxFaces} at a time), and position, x, y, margin and width are unused.
     */
    record OverlayPlan(Path image, Overlay.Position position, Integer x, Integer y, int margin, Integer width,
            double opacity, double start, double end, boolean onFaces, double faceMargin, int maxFaces) {
    }

    /** Overlay anchor faces: the default growth of the face box on each side, a fraction of its size. */
    static final double FACE_MARGIN = 0.2;

    record HlsPlan(List<Rung> rungs, double segmentSeconds, double fps, boolean audio) {
    }

    record Rung(BoxFit.Size size, int bitrateKbps) {
        String dir() {
            return size.height() + "p";
        }
    }

    record AudioPlan(AudioOutput.Codec codec, int bitrateKbps) {
    }

    record PreviewPlan(PreviewOutput.Format format, Window window, BoxFit.Size size, double fps) {
    }

    static VideoPlan video(VideoOutput spec, Source src, Map<String, Path> overlayImages) throws MediaException {
        requireVideo(src);
        checkRules(spec);
        Container container = spec.container() == null ? Container.MP4 : spec.container();
        BoxFit.Size size = BoxFit.evenVideoSize(src.width(), src.height(), src.sampleAspect(), spec.width(),
                spec.height());
        double fps = spec.fps() != null ? spec.fps() : src.fps();
        Integer crf = spec.bitrateKbps() != null ? null
                : spec.crf() != null ? spec.crf() : container == Container.MP4 ? DEFAULT_H264_CRF : DEFAULT_VP9_CRF;
        boolean audio = src.audio() && !Boolean.FALSE.equals(spec.audio());
        int audioKbps = container == Container.MP4 ? DEFAULT_AAC_KBPS : DEFAULT_OPUS_KBPS;
        Window window = window(src, spec.start(), spec.duration(), "");
        OverlayPlan overlay = spec.overlay() == null ? null
                : overlay(spec.overlay(), size, window.length(), overlayImages);
        return new VideoPlan(container, size, fps, crf, spec.bitrateKbps(), audio, audioKbps, window, overlay);
    }

    static HlsPlan hls(HlsOutput spec, Source src) throws MediaException {
        requireVideo(src);
        checkRules(spec);
        double segment = spec.segmentSeconds() != null ? spec.segmentSeconds() : DEFAULT_SEGMENT_SECONDS;
        List<HlsOutput.Rendition> asked = spec.renditions() == null ? DEFAULT_LADDER : spec.renditions();
        // rungs taller than the source would only upscale; one per height (the height names the folder)
        Map<Integer, Rung> rungs = new LinkedHashMap<>();
        for (HlsOutput.Rendition r : asked) {
            if (r.height() <= src.height()) {
                BoxFit.Size size = BoxFit.evenVideoSize(src.width(), src.height(), src.sampleAspect(), null,
                        r.height());
                rungs.putIfAbsent(size.height(), new Rung(size, r.bitrateKbps()));
            }
        }
        if (rungs.isEmpty()) {
            int lowest = asked.stream().mapToInt(HlsOutput.Rendition::bitrateKbps).min().orElse(800);
            BoxFit.Size size = BoxFit.evenVideoSize(src.width(), src.height(), src.sampleAspect(), null, null);
            rungs.put(size.height(), new Rung(size, lowest));
        }
        List<Rung> ordered = new ArrayList<>(rungs.values());
        ordered.sort(Comparator.comparingInt((Rung r) -> r.size().height()).reversed());
        return new HlsPlan(List.copyOf(ordered), segment, src.fps(), src.audio());
    }

    static AudioPlan audio(AudioOutput spec, Source src) throws MediaException {
        if (!src.audio()) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, "the input has no audio track");
        }
        checkRules(spec);
        AudioOutput.Codec codec = spec.codec() == null ? AudioOutput.Codec.AAC : spec.codec();
        int kbps = spec.bitrateKbps() != null ? spec.bitrateKbps()
                : codec == AudioOutput.Codec.OPUS ? DEFAULT_OPUS_KBPS
                : codec == AudioOutput.Codec.MP3 ? DEFAULT_MP3_KBPS : DEFAULT_AAC_KBPS;
        return new AudioPlan(codec, kbps);
    }

    static PreviewPlan preview(PreviewOutput spec, Source src) throws MediaException {
        requireVideo(src);
        checkRules(spec);
        PreviewOutput.Format format = spec.format() == null ? PreviewOutput.Format.GIF : spec.format();
        int width = spec.width() == null ? DEFAULT_PREVIEW_WIDTH : spec.width();
        double fps = spec.fps() == null ? DEFAULT_PREVIEW_FPS : spec.fps();
        double duration = spec.duration() == null ? DEFAULT_PREVIEW_SECONDS : spec.duration();
        Window window = window(src, spec.start(), duration, "preview ");
        // animated WebP via libwebp wants even sizes for yuv420p; GIF takes any size
        BoxFit.Size size = format == PreviewOutput.Format.WEBP
                ? BoxFit.evenVideoSize(src.width(), src.height(), src.sampleAspect(), width, null)
                : BoxFit.fit(src.width(), src.height(), src.sampleAspect(), width, null);
        return new PreviewPlan(format, window, size, fps);
    }

    private static Window window(Source src, Double start, Double duration, String what)
            throws MediaException {
        double s = start == null ? 0 : start;
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw invalid(what + "start must be 0 or more seconds, was " + start);
        }
        if (s >= src.end()) {
            throw invalid(what + "start " + s + " s is at or beyond the end of the input (" + src.durationSeconds()
                    + " s)");
        }
        if (duration != null && !(duration > 0 && Double.isFinite(duration))) {
            throw invalid(what + "duration must be above 0 seconds, was " + duration);
        }
        double end = duration == null ? src.end() : Math.min(src.end(), s + duration);
        return new Window(s, end);
    }

    private static OverlayPlan overlay(Overlay o, BoxFit.Size out, double outputSeconds, Map<String, Path> images)
            throws MediaException {
        if (o.image() == null || o.image().isBlank()) {
            throw invalid("overlay.image is required");
        }
        Path image = images == null ? null : images.get(o.image());
        if (image == null) {
            throw invalid("overlay image " + o.image() + " was not provided");
        }
        double opacity = o.opacity() == null ? 1 : o.opacity();
        double start = o.start() == null ? 0 : o.start();
        double end = o.end() == null ? Double.POSITIVE_INFINITY : o.end();
        if (o.onFaces()) {
            // the frame placement does not go with it: the rulebook
            return new OverlayPlan(image, null, null, null, 0, null, opacity, start, end, true,
                    o.faceMargin() == null ? FACE_MARGIN : o.faceMargin(),
                    o.maxFaces() == null ? Integer.MAX_VALUE : o.maxFaces());
        }
        if (o.x() != null && (o.x() < 0 || o.y() < 0 || o.x() >= out.width() || o.y() >= out.height())) {
            throw invalid("overlay x/y (" + o.x() + "," + o.y() + ") is outside the " + out + " picture");
        }
        if (o.width() != null && (o.width() < 1 || o.width() > out.width())) {
            throw invalid("overlay width must be between 1 and the output width " + out.width() + ", was "
                    + o.width());
        }
        // x and y together, margin, opacity, start before end: the rulebook (checkRules of the video output)
        int margin = o.margin() != null ? o.margin() : (int) Math.round(out.width() * OVERLAY_MARGIN_FRACTION);
        Overlay.Position position = o.position() == null ? Overlay.Position.BOTTOM_RIGHT : o.position();
        return new OverlayPlan(image, position, o.x(), o.y(), margin, o.width(), opacity, start, end, false, 0, 0);
    }

    private static void requireVideo(Source src) throws MediaException {
        if (src.stillImage()) {
            throw invalid("the input is a still image, not a video");
        }
        if (!src.video()) {
            throw invalid("the input has no video stream");
        }
    }

    /** The contract's limits of the output's parameters: {@code INVALID_OUTPUT} naming the first one broken. */
    static void checkRules(OutputSpec spec) throws MediaException {
        List<Violation> violations = OutputRules.check("", spec);
        if (!violations.isEmpty()) {
            throw invalid(violations.get(0).toString());
        }
    }

    static MediaException invalid(String message) {
        return new MediaException(FailureCode.INVALID_OUTPUT, message);
    }

    /** AAC sample rates FFmpeg's encoder supports. */
    static final Set<Integer> AAC_RATES = Set.of(96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050,
            16_000, 12_000, 11_025, 8_000, 7_350);
    /** MPEG-1/2 layer III sample rates. */
    static final Set<Integer> MP3_RATES = Set.of(48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025,
            8_000);

    static int aacRate(int source) {
        return AAC_RATES.contains(source) ? source : 48_000;
    }

    static int mp3Rate(int source) {
        return MP3_RATES.contains(source) ? source : source > 44_100 || source <= 0 ? 48_000 : 44_100;
    }
}
