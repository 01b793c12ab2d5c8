package dev.framewright.transcoder.worker;

import dev.framewright.events.FailureCode;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobRequested;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFailure;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputManifest;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.VideoOutput;
import dev.framewright.events.rules.ObjectKeys;
import dev.framewright.transcoder.media.InputLimits;
import dev.framewright.transcoder.media.MediaException;
import dev.framewright.transcoder.media.MediaPipeline;
import dev.framewright.transcoder.media.MediaProbe;
import dev.framewright.transcoder.media.RenderedOutput;
import dev.framewright.transcoder.media.ScratchFiles;
import dev.framewright.transcoder.storage.MediaBucket;
import dev.framewright.transcoder.telemetry.Telemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * Runs one attempt of a job in a scratch directory: download the input and overlay images, probe, check limits and
 * memory, render every output, upload each file to {@code jobs/{id}/{output}/{path}}.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final MediaBucket bucket;
    private final Renderer renderer;
    private final TranscoderConfig config;
    private final Admission admission;
    private final Tracer tracer;

    public JobRunner(MediaBucket bucket, Renderer renderer, TranscoderConfig config, Tracer tracer) {
        this.bucket = bucket;
        this.tracer = tracer;
        this.renderer = renderer;
        this.config = config;
        this.admission = Admission.of(config.admission(), workRoot(config));
        TranscoderConfig.Limits l = config.limits();
        InputLimits.install(new InputLimits(l.maxVideoPixels(), l.maxImagePixels(), l.maxFrameRate(),
                l.maxDuration().toSeconds(), l.maxStreams(), l.maxInputBytes()));
    }

    Admission admission() {
        return admission;
    }

    static Path workRoot(TranscoderConfig config) {
        return Path.of(config.workDir().orElse(System.getProperty("java.io.tmpdir")), "framewright-transcoder");
    }

    /** What an attempt produced: the outputs that were stored and those that failed on their own. */
    public record Outcome(MediaInfo input, List<OutputResult> outputs, List<OutputFailure> failed) {
    }

    /**
     * Thrown when the attempt could not be recorded (or JobStarted not published) past the bookkeeping retries: the
     * attempt must not go on, and the delivery stays uncommitted.
     */
    static final class AttemptNotRecorded extends RuntimeException {
        AttemptNotRecorded(Throwable cause) {
            super("The attempt could not be recorded: " + cause, cause);
        }
    }

    /**
     * @param recorded completes when the attempt is durable in {@code _control/attempts} (and JobStarted is out). The
     *                 downloads overlap it; nothing that opens the media (probe, render) starts before it, so an input
     *                 that crashes the worker is always counted toward quarantine.
     */
    Outcome run(JobRequested job, Watchdog watchdog, ProgressReporter progress, Future<?> recorded)
            throws MediaException, InterruptedException {
        Path dir = scratchDir(job);
        try {
            progress.stage("downloading", 0);
            Path input = dir.resolve("input"); // no extension: the demuxer is chosen by content, never by a name
            downloadInput(job, input);
            Map<String, Path> overlays = downloadOverlays(job, dir);
            checkInterrupted();
            awaitRecorded(recorded);

            progress.stage("probing", 2);
            MediaInfo info = MediaProbe.probe(input);
            InputLimits.active().check(info, Files.size(input));
            progress.mediaDuration(info.durationSeconds());
            awaitMemory(info, job.outputs().size());

            Path out = Files.createDirectories(dir.resolve("out"));
            watchdog.expectProgress(true);
            MediaPipeline.Outcome rendered = renderer.render(input, info, job.outputs(), overlays, out,
                    (stage, seconds, fps, perOutput) -> {
                        watchdog.progress(stage, seconds);
                        progress.render(stage, seconds, fps, perOutput);
                    });
            watchdog.expectProgress(false);
            checkInterrupted();

            progress.stage("uploading", ProgressReporter.RENDER_TO);
            List<OutputResult> results = new ArrayList<>();
            for (RenderedOutput r : rendered.rendered()) {
                List<OutputFile> files = new ArrayList<>();
                Span span = tracer.spanBuilder("upload output").setAttribute(Telemetry.JOB_ID, job.jobId().toString())
                        .setAttribute(Telemetry.OUTPUT_NAME, r.name()).startSpan();
                try (Scope ignored = span.makeCurrent()) {
                    for (RenderedOutput.File f : r.files()) {
                        checkInterrupted();
                        files.add(bucket.upload(f.path(), ObjectKeys.outputFile(job.jobId(), r.name(), f.path()),
                                f.local(), f.contentType()));
                    }
                } finally {
                    span.end();
                }
                results.add(result(job, r, files));
            }
            return new Outcome(info, results, rendered.failed());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteRecursively(dir);
        }
    }

    /**
     * The output as the terminal event reports it: every file, or, when they do not fit in an event, the principal
     * ones and the key of a manifest listing them all, stored before the event is published.
     */
    private OutputResult result(JobRequested job, RenderedOutput r, List<OutputFile> files) {
        if (OutputManifest.fitsInEvent(files)) {
            return new OutputResult(r.name(), r.type(), files, r.media(), files.size(), null, r.labels());
        }
        String key = OutputManifest.key(job.jobId(), r.name());
        try {
            bucket.write(key, JobEventJson.mapper().writeValueAsBytes(new OutputManifest(job.jobId(), r.name(), files)),
                    "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<OutputFile> listed = OutputManifest.principal(files);
        LOG.infof("Output %s has %d files; the event lists %d, manifest %s", r.name(), files.size(), listed.size(),
                key);
        return new OutputResult(r.name(), r.type(), listed, r.media(), files.size(), key, r.labels());
    }

    /**
     * The object the job was accepted with, and no more of it: refused from its accepted size before the GET, pinned
     * to its ETag, and cut off at that size (or the byte limit, for a request that pinned nothing).
     */
    private void downloadInput(JobRequested job, Path input) throws MediaException {
        InputLimits limits = InputLimits.active();
        String key = job.input().key();
        long accepted = job.input().size();
        if (accepted > limits.maxInputBytes()) {
            throw new MediaException(FailureCode.LIMITS_EXCEEDED, "The input is beyond this deployment's limits: it is "
                    + accepted + " bytes, more than the limit of " + limits.maxInputBytes());
        }
        String etag = job.input().etag();
        // A pinned object is exactly its accepted size; an unpinned one is read up to the limit.
        long cap = etag != null && accepted > 0 ? accepted : limits.maxInputBytes();
        switch (bucket.download(key, input, etag, cap)) {
            case DONE -> { }
            case MISSING -> throw new MediaException(FailureCode.INPUT_MISSING, "The input object " + key + " is gone");
            case CHANGED -> throw changed("input object " + key);
            case TOO_LARGE -> throw etag != null ? changed("input object " + key)
                    : new MediaException(FailureCode.LIMITS_EXCEEDED, "The input is beyond this deployment's limits: "
                            + "it is more than " + cap + " bytes");
        }
    }

    private static MediaException changed(String what) {
        return new MediaException(FailureCode.INPUT_CHANGED, "The " + what + " is not the one the job was accepted "
                + "with (it was overwritten after acceptance); upload again and submit a new job");
    }

    /**
     * Overlay images are inputs too: the same byte cap on the download and the same header checks (bytes, declared
     * canvas) as the main input, all before a pixel of them is decoded.
     */
    private Map<String, Path> downloadOverlays(JobRequested job, Path dir) throws MediaException, IOException {
        Map<String, Path> overlays = new LinkedHashMap<>();
        InputLimits limits = InputLimits.active();
        for (OutputSpec spec : job.outputs()) {
            if (spec instanceof VideoOutput v && v.overlay() != null && v.overlay().image() != null
                    && !overlays.containsKey(v.overlay().image())) {
                Path local = Files.createDirectories(dir.resolve("overlays")).resolve("overlay-" + overlays.size());
                String what = "The overlay image " + v.overlay().image() + " of output " + v.name();
                switch (bucket.download(v.overlay().image(), local, null, limits.maxInputBytes())) {
                    case DONE -> { }
                    case MISSING -> throw new MediaException(FailureCode.INPUT_MISSING, what + " is gone");
                    case CHANGED -> throw changed("overlay image " + v.overlay().image());
                    case TOO_LARGE -> throw new MediaException(FailureCode.LIMITS_EXCEEDED, what
                            + " is beyond this deployment's limits: more than " + limits.maxInputBytes() + " bytes");
                }
                limits.checkImage(local);
                overlays.put(v.overlay().image(), local);
            }
        }
        return overlays;
    }

    /** Waits (with backoff, interruptible by cancel/timeout/shutdown) until the decoded frames fit in memory. */
    private void awaitMemory(MediaInfo info, int outputs) throws MediaException, InterruptedException {
        long wait = 1000;
        while (true) {
            Admission.Check check = admission.memory(info, outputs);
            if (check.fits()) {
                return;
            }
            if (!check.everFits()) {
                throw new MediaException(FailureCode.LIMITS_EXCEEDED, "The job needs more memory than this worker has ("
                        + check.describe() + ")");
            }
            LOG.infof("Waiting for memory before rendering: %s; next look in %d ms", check.describe(), wait);
            Thread.sleep(wait);
            wait = Math.min(wait * 2, config.admission().maxWait().toMillis());
        }
    }

    private static void awaitRecorded(Future<?> recorded) throws InterruptedException {
        try {
            recorded.get();
        } catch (ExecutionException e) {
            throw new AttemptNotRecorded(e.getCause());
        }
    }

    private static void checkInterrupted() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
    }

    private Path scratchDir(JobRequested job) {
        try {
            Path root = workRoot(config);
            Files.createDirectories(root);
            Path dir = root.resolve(job.jobId().toString());
            deleteRecursively(dir);
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!ScratchFiles.deleteTree(dir)) {
            LOG.warnf("Could not clean %s", dir);
        }
    }
}
