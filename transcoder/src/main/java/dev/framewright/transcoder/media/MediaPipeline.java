package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP3;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_WEBP;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_H264_HIGH;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;

import dev.framewright.events.AudioOutput;
import dev.framewright.events.CaptionsOutput;
import dev.framewright.events.Container;
import dev.framewright.events.DescribeOutput;
import dev.framewright.events.FacesOutput;
import dev.framewright.events.FailureCode;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.Loudness;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFailure;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.OutputType;
import dev.framewright.events.PreviewOutput;
import dev.framewright.events.ProbeOutput;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.VideoOutput;
import dev.framewright.transcoder.media.describe.ModelSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Renders every output of a job from one input, decoding the input once for all video-derived outputs.
 *
 * <p>Stages, in this order: {@code probe} ({@link ProbeRenderer}), {@code transcoding} (one decode of the input fanned
 * out to a sink per video / HLS rendition / audio / preview output, each encoding on its own thread, see
 * {@link DecodeFanOut}), {@code stills} ({@link Thumbnails}, {@link ImageRenderer}, which seek instead of decoding
 * everything). Files are written under {@code workDir/outputs/{outputName}/}; the defaults and checks of every
 * parameter are in {@link OutputPlans}.
 *
 * <p>An output that cannot be produced (bad parameters for this input, its encoder failing) ends up in
 * {@link Outcome#failed()} and its files are deleted; the other outputs still run. An input that cannot be decoded
 * at all fails the whole call. An interrupt of the calling thread stops everything (encoder threads included) and
 * throws {@link CancellationException}.
 */
public final class MediaPipeline {

    /** The frame rate assumed when a stream states none that is believable. */
    static final double FALLBACK_FRAME_RATE = 25.0;

    static {
        FFmpegSupport.init();
    }

    static final String HLS_PLAYLIST = "application/vnd.apple.mpegurl";
    static final String TS = "video/mp2t";

    private MediaPipeline() {
    }

    /** Progress of the whole pipeline; called often, implementations throttle. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param stage            {@code transcoding}, {@code stills} or {@code probe}
         * @param mediaSecondsDone input media time processed in this stage
         * @param fps              decode speed of this stage
         * @param outputPercent    0-100 per output name
         */
        void onProgress(String stage, double mediaSecondsDone, double fps, Map<String, Double> outputPercent);
    }

    /** Outputs that were rendered, and those that failed on their own (the others still ran). */
    public record Outcome(List<RenderedOutput> rendered, List<OutputFailure> failed) {
    }

    /**
     * @param overlayImages local files of the overlay images, by {@code Overlay.image()} object key
     * @throws MediaException when the job as a whole cannot proceed (input not decodable, limits)
     */
    public static Outcome render(Path input, MediaInfo inputInfo, List<OutputSpec> outputs,
            Map<String, Path> overlayImages, Path workDir, Listener listener) throws MediaException {
        return render(input, inputInfo, outputs, overlayImages, workDir, listener, null);
    }

    /**
     * @param describeModel the worker's classifier model for {@code describe} outputs; null when none is configured
     *                      (they then fail with {@code model_unavailable})
     */
    public static Outcome render(Path input, MediaInfo inputInfo, List<OutputSpec> outputs,
            Map<String, Path> overlayImages, Path workDir, Listener listener, ModelSettings describeModel)
            throws MediaException {
        Listener progress = listener == null ? (s, m, f, p) -> {
        } : listener;
        Map<String, RenderedOutput> rendered = new LinkedHashMap<>();
        Map<String, OutputFailure> failed = new LinkedHashMap<>();
        Path root = workDir.resolve("outputs");

        for (OutputSpec spec : outputs) {
            if (spec instanceof ProbeOutput p) {
                checkInterrupt();
                renderStill(spec, root, rendered, failed, dir -> ProbeRenderer.render(inputInfo, p, dir));
                progress.onProgress("probe", 0, 0, Map.of(spec.name(), 100.0));
            }
        }

        // the input's subtitle cues, read once for every output that wants them (captions, hls)
        CaptionSource captions = new CaptionSource(input, inputInfo);
        // "autorotate": false outputs get their own decode, of the stored frames (one decode when all agree)
        List<OutputSpec> upright = outputs.stream().filter(s -> isDecoded(s) && autorotate(s)).toList();
        List<OutputSpec> raw = outputs.stream().filter(s -> isDecoded(s) && !autorotate(s)).toList();
        if (!upright.isEmpty()) {
            transcode(input, inputInfo, upright, overlayImages, root, progress, rendered, failed, true, captions,
                    true);
        }
        if (!raw.isEmpty()) {
            transcode(input, inputInfo, raw, overlayImages, root, progress, rendered, failed, true, captions, false);
        }

        double duration = inputInfo != null && inputInfo.durationSeconds() != null ? inputInfo.durationSeconds() : 0;
        for (OutputSpec spec : outputs) {
            if (spec instanceof ThumbnailsOutput t) {
                checkInterrupt();
                ProgressListener stills = (s, fps) -> progress.onProgress("stills", s, fps,
                        Map.of(spec.name(), duration > 0 ? Math.min(100, 100 * s / duration) : 0));
                renderStill(spec, root, rendered, failed, dir -> Thumbnails.render(input, inputInfo, t, dir, stills));
            } else if (spec instanceof ImageOutput i) {
                checkInterrupt();
                renderStill(spec, root, rendered, failed, dir -> ImageRenderer.render(input, inputInfo, i, dir));
                progress.onProgress("stills", 0, 0, Map.of(spec.name(), 100.0));
            } else if (spec instanceof FacesOutput f) {
                checkInterrupt();
                renderStill(spec, root, rendered, failed, dir -> FacesRenderer.render(input, f, dir));
                progress.onProgress("stills", 0, 0, Map.of(spec.name(), 100.0));
            } else if (spec instanceof CaptionsOutput c) {
                checkInterrupt();
                renderStill(spec, root, rendered, failed, dir -> CaptionsRenderer.render(captions.get(), c, dir));
            } else if (spec instanceof DescribeOutput d) {
                checkInterrupt();
                renderStill(spec, root, rendered, failed,
                        dir -> DescribeRenderer.render(input, d, describeModel, dir));
                progress.onProgress("stills", 0, 0, Map.of(spec.name(), 100.0));
            }
        }

        List<RenderedOutput> inOrder = new ArrayList<>();
        List<OutputFailure> failures = new ArrayList<>();
        for (OutputSpec spec : outputs) {
            if (rendered.containsKey(spec.name())) {
                inOrder.add(rendered.get(spec.name()));
            } else if (failed.containsKey(spec.name())) {
                failures.add(failed.get(spec.name()));
            }
        }
        return new Outcome(List.copyOf(inOrder), List.copyOf(failures));
    }

    /** Whether the output shows the pictures upright (the default), not as stored ({@code "autorotate": false}). */
    static boolean autorotate(OutputSpec spec) {
        Boolean a = spec instanceof VideoOutput v ? v.autorotate()
                : spec instanceof HlsOutput h ? h.autorotate()
                : spec instanceof PreviewOutput p ? p.autorotate()
                : spec instanceof ImageOutput i ? i.autorotate()
                : spec instanceof ThumbnailsOutput t ? t.autorotate() : null;
        return a != Boolean.FALSE;
    }

    private static boolean isDecoded(OutputSpec spec) {
        return spec instanceof VideoOutput || spec instanceof HlsOutput || spec instanceof AudioOutput
                || spec instanceof PreviewOutput;
    }

    @FunctionalInterface
    private interface StillRender {
        RenderedOutput render(Path dir) throws MediaException;
    }

    private static void renderStill(OutputSpec spec, Path root, Map<String, RenderedOutput> rendered,
            Map<String, OutputFailure> failed, StillRender render) {
        Path dir = root.resolve(spec.name());
        try {
            Files.createDirectories(dir);
            rendered.put(spec.name(), render.render(dir));
        } catch (MediaException e) {
            deleteTree(dir);
            failed.put(spec.name(), failure(spec, e.code(), e.getMessage()));
        } catch (CancellationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            failed.put(spec.name(), failure(spec, FailureCode.INTERNAL, spec.type().wireName()
                    + " output failed: " + e.getMessage()));
        }
    }

    // ---------------------------------------------------------------- transcoding: one decode, many sinks

    /** One requested output of the decode stage and the sinks that make it. */
    private record Job(OutputSpec spec, Path dir, List<Sink> sinks, Finisher finisher) {
    }

    @FunctionalInterface
    private interface Finisher {
        RenderedOutput finish() throws MediaException;
    }

    /** A video output served by {@link StreamCopy} instead of an encoder. */
    private record Copy(VideoOutput spec, OutputPlans.VideoPlan plan, Path dir) {
    }

    /**
     * @param allowCopy  false to encode every video output, also those a stream copy could serve
     * @param autorotate false: the stored pictures, not turned upright (an mp4 keeps the turn as its display matrix)
     */
    private static void transcode(Path input, MediaInfo inputInfo, List<OutputSpec> specs,
            Map<String, Path> overlayImages, Path root, Listener progress, Map<String, RenderedOutput> rendered,
            Map<String, OutputFailure> failed, boolean allowCopy, CaptionSource captions, boolean autorotate)
            throws MediaException {
        List<AudioTracks.Track> tracks = audioTracks(input, inputInfo);
        int primary = AudioTracks.choose(tracks, null); // the main decode reads the default track
        // Decoding straight to yuv420p (what every encoder here takes) is much faster than JavaCV's default BGR24.
        FFmpegFrameGrabber grabber = FFmpegSupport.open(input, g -> {
            g.setPixelFormat(AV_PIX_FMT_YUV420P);
            g.setAudioStream(primary);
        });
        Map<String, AudioTracks.Track> trackOf = new LinkedHashMap<>();
        List<AudioRoute> routes = new ArrayList<>();
        Map<String, AudioRoute> routeOf = new LinkedHashMap<>();
        List<Job> planned = new ArrayList<>();
        List<Job> jobs = new ArrayList<>();
        List<Copy> copies = new ArrayList<>();
        Decoded decoded;
        // every output of this stage in each progress report, so the job's percent is the mean over all of them
        Map<String, Double> stagePercent = new LinkedHashMap<>();
        List<OutputSpec> copiesToEncode = new ArrayList<>();
        // one face scan of the input for every output that redacts or overlays faces
        FaceScan.Result[] scans = new FaceScan.Result[1];
        try {
            PictureGeometry stored = PictureGeometry.of(grabber);
            PictureGeometry geometry = stored.unturned(autorotate);
            int keptRotation = autorotate ? 0 : stored.rotation();
            PictureColour colour = PictureColour.of(grabber);
            OutputPlans.Source src = source(grabber, inputInfo, geometry, colour);
            for (OutputSpec spec : specs) {
                Path dir = root.resolve(spec.name());
                try {
                    deleteTree(dir);
                    Files.createDirectories(dir);
                    AudioTracks.Track track = track(tracks, audioTrack(spec));
                    if (track != null) {
                        trackOf.put(spec.name(), track);
                    }
                    boolean copyAudio = loudness(spec) == null && (track == null || track.streamIndex() == primary);
                    if (allowCopy && copyAudio && spec instanceof VideoOutput v && v.redactFaces() == null) {
                        OutputPlans.VideoPlan plan = OutputPlans.video(v, src, overlayImages);
                        if (StreamCopy.fits(v, plan, src, geometry, colour, grabber)) {
                            copies.add(new Copy(v, plan, dir));
                            continue;
                        }
                    }
                    Job job = job(spec, withTrack(src, track), colour, overlayImages, dir, captions, keptRotation);
                    if (spec instanceof VideoOutput v) {
                        faces(job, v, input, scans);
                    }
                    planned.add(job);
                } catch (MediaException e) {
                    deleteTree(dir);
                    failed.put(spec.name(), failure(spec, e.code(), e.getMessage()));
                } catch (IOException e) {
                    failed.put(spec.name(), failure(spec, FailureCode.INTERNAL, "cannot create " + dir));
                }
            }
            decoded = decodedSize(grabber, geometry, colour, planned);
            for (Job job : planned) {
                try {
                    for (Sink s : job.sinks()) {
                        s.decodedAt(decoded.size());
                    }
                    AudioRoute route = route(job, input, trackOf.get(job.spec().name()), grabber, routes);
                    if (route != null) {
                        routeOf.put(job.spec().name(), route);
                    }
                    openAll(job.sinks());
                    jobs.add(job);
                } catch (MediaException e) {
                    routes.forEach(r -> r.sinks.removeAll(job.sinks()));
                    routeOf.remove(job.spec().name());
                    deleteTree(job.dir());
                    failed.put(job.spec().name(), failure(job.spec(), e.code(), e.getMessage()));
                }
            }
            copies.forEach(c -> stagePercent.put(c.spec().name(), 0.0));
            jobs.forEach(j -> stagePercent.put(j.spec().name(), 0.0));
            for (int i = 0; i < copies.size(); i++) {
                // the decoder's grabber has read nothing yet: the last copy may use it when nothing is decoded
                boolean useMain = jobs.isEmpty() && i == copies.size() - 1;
                if (!copy(copies.get(i), useMain ? grabber : null, input, inputInfo, src, primary, progress,
                        stagePercent, rendered, captions)) {
                    copiesToEncode.add(copies.get(i).spec());
                }
            }
            if (!jobs.isEmpty()) {
                decode(grabber, src, decoded, jobs, routes, routeOf, progress, stagePercent, rendered, failed);
            }
        } catch (MediaException | RuntimeException | Error e) { // CancellationException included
            jobs.forEach(job -> deleteTree(job.dir()));
            copies.forEach(c -> deleteTree(c.dir()));
            throw e;
        } finally {
            for (Job job : jobs) {
                for (Sink s : job.sinks()) {
                    if (!s.threadAlive() && !s.succeeded() && s.failure() == null) {
                        s.release(); // opened but never started
                    }
                }
            }
            routes.forEach(AudioRoute::close);
            FFmpegSupport.closeQuietly(grabber);
        }
        if (!copiesToEncode.isEmpty()) {
            transcode(input, inputInfo, copiesToEncode, overlayImages, root, progress, rendered, failed, false,
                    captions, autorotate);
        }
    }

    /**
     * Hides the faces in the video output's pictures, or places its overlay over them: the input is scanned for faces
     * once for all the outputs of this rendering that need them ({@code scans[0]}, null until then).
     */
    private static void faces(Job job, VideoOutput v, Path input, FaceScan.Result[] scans) throws MediaException {
        for (Sink s : job.sinks()) {
            if (s instanceof EncoderSink e) {
                boolean overlay = e.overlay() != null && e.overlay().onFaces();
                if (v.redactFaces() == null && !overlay) {
                    continue;
                }
                if (scans[0] == null) {
                    scans[0] = FaceScan.scan(input, FaceRedactor.EVERY_SECONDS);
                }
                if (overlay) {
                    e.overlay().follow(scans[0]);
                }
                if (v.redactFaces() != null) {
                    e.redact(new FaceRedactor(v.redactFaces(), scans[0], e.width(), e.height()));
                }
            }
        }
    }

    /** Decodes the input once and feeds every job's sinks; then finishes each job or records its failure. */
    private static void decode(FFmpegFrameGrabber grabber, OutputPlans.Source src, Decoded decoded,
            List<Job> jobs, List<AudioRoute> routes, Map<String, AudioRoute> routeOf, Listener progress, Map<String, Double> stagePercent, Map<String, RenderedOutput> rendered,
            Map<String, OutputFailure> failed) throws MediaException {
        List<Sink> sinks = jobs.stream().flatMap(j -> j.sinks().stream()).toList();
        PictureFilter upright = decoded.filter() == null ? null
                : new PictureFilter(decoded.filter(), decoded.geometry().sarNum(), decoded.geometry().sarDen());
        try {
            sinks.forEach(Sink::start);
            DecodeFanOut.run(grabber, src, decoded.size(), upright, sinks, routes, (seconds, fps) -> progress.onProgress(
                    "transcoding", seconds, fps, percents(jobs, stagePercent)));
        } finally {
            if (upright != null) {
                upright.close();
            }
        }

        for (Job job : jobs) {
            String name = job.spec().name();
            MediaException sinkFailure = job.sinks().stream().map(Sink::failure)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (sinkFailure == null && !job.sinks().stream().allMatch(Sink::succeeded)) {
                sinkFailure = new MediaException(FailureCode.INTERNAL, "the encoder did not finish");
            }
            try {
                if (sinkFailure != null) {
                    throw sinkFailure;
                }
                rendered.put(name, withLoudness(job.finisher().finish(), routeOf.get(name)));
            } catch (MediaException e) {
                deleteTree(job.dir());
                failed.put(name, failure(job.spec(), e.code(), e.getMessage()));
            }
        }
        progress.onProgress("transcoding", src.durationSeconds(), 0, percents(jobs, stagePercent));
    }

    /**
     * Runs one stream copy; false when the copy failed and the output should be encoded instead (a source whose
     * packets the muxer refuses, e.g. broken timestamps, can still be decoded and encoded).
     *
     * @param grabber the input opened and unread, or null to open one
     */
    private static boolean copy(Copy c, FFmpegFrameGrabber grabber, Path input, MediaInfo inputInfo,
            OutputPlans.Source src, int audioStream,
            Listener progress, Map<String, Double> stagePercent, Map<String, RenderedOutput> rendered,
            CaptionSource captions) throws MediaException {
        String name = c.spec().name();
        Path file = c.dir().resolve("video." + c.plan().container().extension());
        FFmpegFrameGrabber in = grabber != null ? grabber
                : FFmpegSupport.open(input, g -> g.setAudioStream(audioStream));
        double duration = src.durationSeconds();
        try {
            StreamCopy.copy(in, c.plan(), file, (seconds, fps) -> {
                stagePercent.put(name, duration > 0 ? Math.min(99.9, 100 * seconds / duration) : 0);
                progress.onProgress("transcoding", seconds, fps, Map.copyOf(stagePercent));
            });
            MediaInfo media = null;
            if (wantsSubtitleTracks(c.spec())) {
                SubtitleMux.addMovText(file, captions.get().tracks(), c.plan().window());
            } else {
                media = StreamCopy.describe(inputInfo, in, c.plan(), file);
            }
            rendered.put(name, new RenderedOutput(name, OutputType.VIDEO, List.of(new RenderedOutput.File(
                    file.getFileName().toString(), file, c.plan().container().contentType())),
                    media != null ? media : probeOutput(file)));
            stagePercent.put(name, 100.0);
            progress.onProgress("transcoding", duration, 0, Map.copyOf(stagePercent));
            return true;
        } catch (MediaException e) {
            deleteTree(c.dir());
            try {
                Files.createDirectories(c.dir());
            } catch (IOException ignored) {
                // the encode path reports it
            }
            return false;
        } finally {
            if (grabber == null) {
                FFmpegSupport.closeQuietly(in);
            }
        }
    }

    /**
     * How the decoder delivers pictures: their size, and the filter chain they go through first (null for none).
     *
     * @param geometry the source's, to show the pictures upright and progressive
     */
    private record Decoded(BoxFit.Size size, String filter, PictureGeometry geometry) {
    }

    /**
     * The size the decoder delivers pictures at, and how. When every sink that takes pictures encodes one and the same
     * size, the grabber scales each decoded picture straight to it (bicubic, as ffmpeg's scale filter) in the
     * conversion it makes anyway: one pass over the 1080p picture instead of a copy and a scale, and the scaling runs
     * on the decoder's thread beside the encoders. Otherwise pictures come at the source size; a yuv420p source is
     * then read from the decoder's own frame (no conversion copy), see {@link DecodeFanOut}.
     *
     * <p>A source shown rotated or interlaced goes through a libavfilter chain on the decoder's thread instead (see
     * {@link PictureGeometry#filter}): deinterlace at the stored size, scale (to the one shared size when there is
     * one, else to the displayed size in square pixels), then transpose the already smaller picture. Every sink
     * then sees upright, progressive, square pixels and plans in displayed sizes; the decoder hands its own frames
     * to the chain (raw mode), so there is no conversion copy before it. The same chain tone-maps an HDR source (and
     * converts any wide gamut) to SDR BT.709 after the scale, and squeezes a full-range source to limited range (see
     * {@link PictureColour}): every sink gets 8-bit pictures that mean what its output is tagged with.
     */
    private static Decoded decodedSize(FFmpegFrameGrabber grabber, PictureGeometry geometry, PictureColour colour,
            List<Job> jobs) {
        List<Sink> video = jobs.stream().flatMap(j -> j.sinks().stream()).filter(Sink::takesVideo).toList();
        java.util.Set<BoxFit.Size> sizes = new java.util.HashSet<>();
        for (Sink s : video) {
            sizes.add(s.prescaledSize()); // null when a sink needs the decoded size
        }
        boolean one = sizes.size() == 1 && !sizes.contains(null);
        if (!video.isEmpty() && geometry.needsFilter(colour)) {
            BoxFit.Size target = one ? sizes.iterator().next()
                    : new BoxFit.Size(geometry.displayWidth(), geometry.displayHeight());
            grabber.setImageMode(FrameGrabber.ImageMode.RAW);
            return new Decoded(target, geometry.filter(target, "yuv420p", false, colour), geometry);
        }
        BoxFit.Size source = new BoxFit.Size(grabber.getImageWidth(), grabber.getImageHeight());
        if (one && !sizes.contains(source)) {
            BoxFit.Size target = sizes.iterator().next();
            grabber.setImageWidth(target.width());
            grabber.setImageHeight(target.height());
            grabber.setImageScalingFlags(SWS_BICUBIC);
            return new Decoded(target, null, geometry);
        }
        if (!video.isEmpty() && FFmpegSupport.decodesTo(grabber, AV_PIX_FMT_YUV420P)) {
            grabber.setImageMode(FrameGrabber.ImageMode.RAW);
        }
        return new Decoded(source, null, geometry);
    }

    private static void openAll(List<Sink> sinks) throws MediaException {
        List<Sink> opened = new ArrayList<>();
        try {
            for (Sink s : sinks) {
                s.open();
                opened.add(s);
            }
        } catch (MediaException e) {
            opened.forEach(Sink::release);
            throw e;
        }
    }

    private static Map<String, Double> percents(List<Job> jobs, Map<String, Double> stagePercent) {
        Map<String, Double> out = new LinkedHashMap<>(stagePercent);
        for (Job job : jobs) {
            out.put(job.spec().name(), job.sinks().stream().mapToDouble(Sink::percent).min().orElse(0));
        }
        return out;
    }

    /**
     * What the plans see: for a source that is shown rotated or interlaced, the displayed picture (upright, square
     * pixels), since the decoder's filter chain delivers that; otherwise the stored size and its sample aspect ratio,
     * which the scalers honour.
     */
    static OutputPlans.Source source(FFmpegFrameGrabber g, MediaInfo info, PictureGeometry geometry,
            PictureColour colour) {
        boolean still = FFmpegSupport.isStillImage(g);
        boolean video = g.hasVideo() && !FFmpegSupport.isAttachedPicture(g) && g.getImageWidth() > 0
                && g.getImageHeight() > 0;
        double fps = g.getVideoFrameRate();
        if (!(fps > 0 && fps <= 1000 && Double.isFinite(fps))) {
            fps = FALLBACK_FRAME_RATE;
        }
        long us = FFmpegSupport.durationMicros(g);
        double duration = info != null && info.durationSeconds() != null ? info.durationSeconds()
                : us > 0 ? us / 1e6 : -1;
        boolean audio = g.hasAudio() && g.getAudioChannels() > 0;
        if (video && geometry.needsFilter(colour)) {
            return new OutputPlans.Source(geometry.displayWidth(), geometry.displayHeight(), 1.0, fps, video, still,
                    audio, g.getAudioChannels(), g.getSampleRate(), duration);
        }
        return new OutputPlans.Source(g.getImageWidth(), g.getImageHeight(), g.getAspectRatio(), fps, video, still,
                audio, g.getAudioChannels(), g.getSampleRate(), duration);
    }

    /**
     * @param colour       the source's: encoders are tagged with {@link PictureColour#output()}
     * @param keptRotation clockwise degrees an mp4 of stored (unturned) pictures declares in its display matrix
     */
    private static Job job(OutputSpec spec, OutputPlans.Source src, PictureColour colour,
            Map<String, Path> overlays, Path dir, CaptionSource captions, int keptRotation) throws MediaException {
        if (spec instanceof VideoOutput v) {
            return videoJob(v, OutputPlans.video(v, src, overlays), src, colour, dir, captions, keptRotation);
        } else if (spec instanceof HlsOutput h) {
            return hlsJob(h, OutputPlans.hls(h, src), src, colour, dir, captions);
        } else if (spec instanceof AudioOutput a) {
            return audioJob(a, OutputPlans.audio(a, src), src, dir);
        } else if (spec instanceof PreviewOutput p) {
            return previewJob(p, OutputPlans.preview(p, src), src, colour, dir);
        }
        throw new IllegalArgumentException("not a decoded output: " + spec.type());
    }

    private static Job videoJob(VideoOutput spec, OutputPlans.VideoPlan plan, OutputPlans.Source src,
            PictureColour colour, Path dir, CaptionSource captions, int keptRotation) throws MediaException {
        Container c = plan.container();
        Path file = dir.resolve("video." + c.extension());
        int channels = plan.audio() ? Math.min(src.channels(), 2) : 0;
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), plan.size().width(), plan.size().height(),
                channels);
        r.setPixelFormat(AV_PIX_FMT_YUV420P);
        r.setFrameRate(plan.fps());
        r.setGopSize(Math.max(1, (int) Math.round(plan.fps() * 2))); // a keyframe every 2 s: seekable, still compact
        colour.tag(r);
        String what;
        if (c == Container.MP4) {
            what = "H.264/AAC";
            r.setFormat("mp4");
            r.setVideoCodecName("libx264");
            r.setVideoCodec(AV_CODEC_ID_H264);
            // JavaCV defaults H.264 to Constrained Baseline; High plays everywhere and is smaller at the same quality
            r.setVideoProfile(AV_PROFILE_H264_HIGH);
            r.setVideoOption("preset", OutputPlans.X264_PRESET);
            r.setOption("movflags", "+faststart");
            if (keptRotation != 0) {
                r.setDisplayRotation(-keptRotation); // the matrix's own angle is counter-clockwise
            }
            if (channels > 0) {
                r.setAudioCodec(AV_CODEC_ID_AAC);
                r.setSampleRate(OutputPlans.aacRate(src.sampleRate()));
            }
        } else {
            what = "VP9/Opus";
            r.setFormat("webm");
            r.setVideoCodecName("libvpx-vp9");
            r.setVideoCodec(AV_CODEC_ID_VP9);
            r.setVideoOption("deadline", "good");
            r.setVideoOption("cpu-used", Integer.toString(OutputPlans.VP9_CPU_USED));
            r.setVideoOption("row-mt", "1");
            if (channels > 0) {
                r.setAudioCodecName("libopus");
                r.setAudioCodec(AV_CODEC_ID_OPUS);
                r.setSampleRate(48_000);
            }
        }
        if (plan.bitrateKbps() != null) {
            r.setVideoBitrate(plan.bitrateKbps() * 1000);
        } else {
            r.setVideoBitrate(0); // constant quality
            r.setVideoOption("crf", Integer.toString(plan.crf()));
        }
        if (channels > 0) {
            r.setAudioBitrate(plan.audioKbps() * 1000);
        }
        OverlayBlender overlay = plan.overlay() == null ? null
                : new OverlayBlender(plan.overlay(), plan.size().width(), plan.size().height());
        EncoderSink sink = new EncoderSink(spec.name(), spec.name(), plan.window(), plan.fps(), channels > 0, r,
                what + " " + plan.size(), src.width(), src.height(), overlay, file);
        String path = file.getFileName().toString();
        boolean fixAudio = c == Container.WEBM && channels > 0;
        return new Job(spec, dir, List.of(sink), () -> {
            if (fixAudio) {
                PacketDurationFix.fixAudioDurations(file, "webm", 48_000);
            }
            if (wantsSubtitleTracks(spec)) {
                SubtitleMux.addMovText(file, captions.get().tracks(), plan.window());
            }
            return new RenderedOutput(spec.name(), OutputType.VIDEO,
                    List.of(new RenderedOutput.File(path, file, c.contentType())), probeOutput(file));
        });
    }

    private static Job hlsJob(HlsOutput spec, OutputPlans.HlsPlan plan, OutputPlans.Source src,
            PictureColour colour, Path dir, CaptionSource captions) throws MediaException {
        List<Sink> sinks = new ArrayList<>();
        int channels = plan.audio() ? Math.min(src.channels(), 2) : 0;
        int gop = Math.max(1, (int) Math.round(plan.fps() * plan.segmentSeconds()));
        OutputPlans.Window all = new OutputPlans.Window(0, src.end());
        for (OutputPlans.Rung rung : plan.rungs()) {
            Path rungDir = dir.resolve(rung.dir());
            try {
                Files.createDirectories(rungDir);
            } catch (IOException e) {
                throw new MediaException(FailureCode.INTERNAL, "cannot create " + rungDir, e);
            }
            Path playlist = rungDir.resolve("index.m3u8");
            BoxFit.Size size = rung.size();
            FFmpegFrameRecorder r = new FFmpegFrameRecorder(playlist.toFile(), size.width(), size.height(), channels);
            r.setFormat("hls");
            r.setVideoCodecName("libx264");
            r.setVideoCodec(AV_CODEC_ID_H264);
            r.setVideoProfile(AV_PROFILE_H264_HIGH);
            r.setPixelFormat(AV_PIX_FMT_YUV420P);
            r.setFrameRate(plan.fps());
            // keyframes exactly on segment boundaries: fixed GOP, no scene-cut keyframes in between
            r.setGopSize(gop);
            colour.tag(r);
            r.setVideoOption("keyint_min", Integer.toString(gop));
            r.setVideoOption("sc_threshold", "0");
            r.setVideoOption("preset", OutputPlans.X264_PRESET);
            r.setVideoOption("level", HlsLadder.level(size, plan.fps()).name());
            r.setVideoBitrate(rung.bitrateKbps() * 1000);
            r.setVideoOption("maxrate", Integer.toString(rung.bitrateKbps() * 1100));
            r.setVideoOption("bufsize", Integer.toString(rung.bitrateKbps() * 2000));
            if (channels > 0) {
                r.setAudioCodec(AV_CODEC_ID_AAC);
                r.setAudioBitrate(HlsLadder.AUDIO_KBPS * 1000);
                r.setSampleRate(OutputPlans.aacRate(src.sampleRate()));
            }
            r.setOption("hls_time", String.format(Locale.ROOT, "%.3f", plan.segmentSeconds()));
            r.setOption("hls_playlist_type", "vod");
            r.setOption("hls_list_size", "0");
            r.setOption("start_number", "1");
            r.setOption("hls_flags", "independent_segments");
            r.setOption("hls_segment_filename", rungDir.resolve("seg-%05d.ts").toString());
            sinks.add(new EncoderSink(spec.name(), spec.name() + "-" + rung.dir(), all, plan.fps(), channels > 0, r,
                    "H.264/AAC " + size, src.width(), src.height(), null, playlist));
        }
        boolean subtitles = !Boolean.FALSE.equals(spec.captions());
        return new Job(spec, dir, List.copyOf(sinks), () -> HlsLadder.finish(spec, plan, dir, channels > 0,
                subtitles ? captions.get().tracks() : List.of()));
    }

    private static Job audioJob(AudioOutput spec, OutputPlans.AudioPlan plan, OutputPlans.Source src, Path dir) {
        AudioOutput.Codec codec = plan.codec();
        Path file = dir.resolve("audio." + codec.extension());
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), Math.min(src.channels(), 2));
        r.setAudioBitrate(plan.bitrateKbps() * 1000);
        switch (codec) {
            case AAC -> {
                r.setFormat("ipod"); // .m4a
                r.setAudioCodec(AV_CODEC_ID_AAC);
                r.setSampleRate(OutputPlans.aacRate(src.sampleRate()));
                r.setOption("movflags", "+faststart");
            }
            case MP3 -> {
                r.setFormat("mp3");
                r.setAudioCodecName("libmp3lame");
                r.setAudioCodec(AV_CODEC_ID_MP3);
                r.setSampleRate(OutputPlans.mp3Rate(src.sampleRate()));
            }
            case OPUS -> {
                r.setFormat("ogg");
                r.setAudioCodecName("libopus");
                r.setAudioCodec(AV_CODEC_ID_OPUS);
                r.setSampleRate(48_000); // Opus runs at 48 kHz
            }
        }
        OutputPlans.Window all = new OutputPlans.Window(0, src.end());
        EncoderSink sink = new EncoderSink(spec.name(), spec.name(), all, 0, true, r,
                codec.wireName() + " " + plan.bitrateKbps() + " kbit/s", src.width(), src.height(), null, file);
        String path = file.getFileName().toString();
        return new Job(spec, dir, List.of(sink), () -> new RenderedOutput(spec.name(), OutputType.AUDIO,
                List.of(new RenderedOutput.File(path, file, codec.contentType())), probeOutput(file)));
    }

    private static Job previewJob(PreviewOutput spec, OutputPlans.PreviewPlan plan, OutputPlans.Source src,
            PictureColour colour, Path dir) throws MediaException {
        PreviewOutput.Format format = plan.format();
        Path file = dir.resolve("preview." + format.extension());
        Sink sink;
        if (format == PreviewOutput.Format.GIF) {
            sink = new GifSink(spec.name(), plan.window(), plan.fps(), src.width(), src.height(), plan.size(), file,
                    colour.output());
        } else {
            if (!FFmpegSupport.hasEncoder("libwebp_anim")) {
                throw OutputPlans.invalid("animated WebP is not available: the FFmpeg build has no libwebp_anim");
            }
            FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), plan.size().width(), plan.size().height(),
                    0);
            r.setFormat("webp");
            r.setVideoCodecName("libwebp_anim");
            r.setVideoCodec(AV_CODEC_ID_WEBP);
            r.setPixelFormat(AV_PIX_FMT_YUV420P);
            r.setFrameRate(plan.fps());
            r.setVideoOption("quality", "75");
            r.setOption("loop", "0"); // forever
            sink = new EncoderSink(spec.name(), spec.name(), plan.window(), plan.fps(), false, r,
                    "animated WebP " + plan.size(), src.width(), src.height(), null, file);
        }
        String path = file.getFileName().toString();
        return new Job(spec, dir, List.of(sink), () -> new RenderedOutput(spec.name(), OutputType.PREVIEW,
                List.of(new RenderedOutput.File(path, file, format.contentType())), previewInfo(file, plan)));
    }

    /** What a written file decodes to; a failure to read it back fails the output. */
    static MediaInfo probeOutput(Path file) throws MediaException {
        try {
            return MediaProbe.probe(file);
        } catch (MediaException e) {
            throw new MediaException(FailureCode.INTERNAL, "the written " + file.getFileName()
                    + " cannot be read back", e);
        }
    }

    private static MediaInfo previewInfo(Path file, OutputPlans.PreviewPlan plan) throws MediaException {
        if (!Files.isRegularFile(file)) {
            throw new MediaException(FailureCode.INTERNAL, "the preview was not written");
        }
        try {
            MediaInfo probed = MediaProbe.probe(file);
            if (probed.width() != null) {
                return probed;
            }
        } catch (MediaException e) {
            // FFmpeg reads animated WebP only partly; describe it from what was encoded
        }
        return MediaInfo.summary(plan.format().wireName(), plan.window().length(), plan.size().width(),
                plan.size().height(), plan.format().wireName(), plan.fps(), null, null, null);
    }

    // ---------------------------------------------------------------- audio: track, downmix, loudness

    /** The input's audio streams: from the probe when it lists one or none, else read from the container. */
    private static List<AudioTracks.Track> audioTracks(Path input, MediaInfo info) throws MediaException {
        if (info != null && info.streams() != null) {
            List<dev.framewright.events.StreamInfo> audio = info.streams().stream()
                    .filter(s -> s.kind().equals("audio")).toList();
            if (audio.size() <= 1) {
                return audio.stream().map(s -> new AudioTracks.Track(s.index(), s.language(), true)).toList();
            }
        }
        FFmpegFrameGrabber g = FFmpegSupport.open(input, null);
        try {
            return AudioTracks.of(g.getFormatContext());
        } finally {
            FFmpegSupport.closeQuietly(g);
        }
    }

    private static AudioTracks.Track track(List<AudioTracks.Track> tracks, String audioTrack) throws MediaException {
        int index = AudioTracks.choose(tracks, audioTrack);
        return tracks.stream().filter(t -> t.streamIndex() == index).findFirst().orElse(null);
    }

    private static String audioTrack(OutputSpec spec) {
        if (spec instanceof VideoOutput v) {
            return v.audioTrack();
        } else if (spec instanceof HlsOutput h) {
            return h.audioTrack();
        } else if (spec instanceof AudioOutput a) {
            return a.audioTrack();
        }
        return null;
    }

    private static Loudness loudness(OutputSpec spec) {
        if (spec instanceof VideoOutput v) {
            return v.loudness();
        } else if (spec instanceof HlsOutput h) {
            return h.loudness();
        } else if (spec instanceof AudioOutput a) {
            return a.loudness();
        }
        return null;
    }

    /** The source as the output hears it: the chosen track's channels and rate (the decoder's track for video). */
    private static OutputPlans.Source withTrack(OutputPlans.Source src, AudioTracks.Track track) {
        if (track == null || !src.audio() || track.channels() <= 0) {
            return src;
        }
        return new OutputPlans.Source(src.width(), src.height(), src.sampleAspect(), src.fps(), src.video(),
                src.stillImage(), true, track.channels(), track.sampleRate() > 0 ? track.sampleRate()
                        : src.sampleRate(), src.durationSeconds());
    }

    /**
     * Puts the job's audio sinks on the route of their stream and treatment, measuring the loudness first when the
     * output asks for normalisation (one measurement per stream and window). Null when the job takes no audio.
     */
    private static AudioRoute route(Job job, Path input, AudioTracks.Track track, FFmpegFrameGrabber grabber,
            List<AudioRoute> routes) throws MediaException {
        List<Sink> audio = job.sinks().stream().filter(s -> s.takesAudio).toList();
        if (audio.isEmpty() || track == null) {
            return null;
        }
        int channels = track.channels() > 0 ? track.channels() : grabber.getAudioChannels();
        AudioRoute.Normalisation normalisation = null;
        Loudness wanted = loudness(job.spec());
        if (wanted != null) {
            LoudnessMeter.Measured m = LoudnessMeter.measure(input, track.streamIndex(), audio.get(0).window());
            if (m.integratedLufs() != null) { // silence stays silent
                normalisation = new AudioRoute.Normalisation(wanted.resolvedTargetLufs(),
                        wanted.resolvedTruePeakDb(), m.integratedLufs(),
                        m.truePeakDb() == null ? Double.NEGATIVE_INFINITY : m.truePeakDb());
            }
        }
        for (AudioRoute r : routes) {
            // a trimmed output measured its own window: it shares a route only with the same gain
            if (r.stream == track.streamIndex() && java.util.Objects.equals(r.loudness, normalisation)) {
                r.sinks.addAll(audio);
                return r;
            }
        }
        AudioRoute r = new AudioRoute(track.streamIndex(), channels, normalisation);
        routes.add(r);
        if (track.streamIndex() != grabber.getAudioStream()) {
            r.openOwn(input);
        }
        r.sinks.addAll(audio);
        return r;
    }

    private static RenderedOutput withLoudness(RenderedOutput out, AudioRoute route) {
        if (route == null || route.report() == null || out.media() == null) {
            return out;
        }
        return new RenderedOutput(out.name(), out.type(), out.files(), out.media().withLoudness(route.report()));
    }

    // ---------------------------------------------------------------- captions

    /** A video output that asks for the input's subtitles as tracks of its own (mp4 only, by the rulebook). */
    private static boolean wantsSubtitleTracks(VideoOutput spec) {
        return Boolean.TRUE.equals(spec.captions()) && spec.container() != Container.WEBM;
    }

    /**
     * The input's subtitle cues, extracted on first use (one pass over the packets) and kept for the other outputs
     * of the job. An input whose probe lists no subtitle stream is not read at all.
     */
    static final class CaptionSource {
        private final Path input;
        private final boolean none;
        private Captions.Extracted extracted;

        CaptionSource(Path input, MediaInfo info) {
            this.input = input;
            this.none = info != null && info.streams() != null
                    && info.streams().stream().noneMatch(s -> s.kind().equals("subtitle"));
        }

        synchronized Captions.Extracted get() throws MediaException {
            if (extracted == null) {
                extracted = none ? Captions.Extracted.NONE : Captions.extract(input);
            }
            return extracted;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static OutputFailure failure(OutputSpec spec, FailureCode code, String message) {
        return new OutputFailure(spec.name(), spec.type(), code.wireName(), message);
    }

    private static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("media pipeline interrupted");
        }
    }

    static void deleteTree(Path root) {
        ScratchFiles.deleteTree(root);
    }
}
