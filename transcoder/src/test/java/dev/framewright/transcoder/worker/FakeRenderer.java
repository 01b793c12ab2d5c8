package dev.framewright.transcoder.worker;

import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputSpec;
import dev.framewright.transcoder.media.MediaException;
import dev.framewright.transcoder.media.MediaPipeline;
import dev.framewright.transcoder.media.RenderedOutput;
import dev.framewright.transcoder.storage.ControlStore;
import dev.framewright.transcoder.storage.StorageUnavailableException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for MediaPipeline (written on another branch) in the worker's tests; behaves like a pipeline in the ways
 * the worker cares about, chosen by the output's name: {@code ok*} renders a small file after a second of
 * progress, {@code slow*} advances through the media until interrupted, {@code stall*} stops advancing,
 * {@code flaky*} fails as if the store were down, {@code instant*} renders at once (pickup measurements), {@code files<N>*} renders N stills, a sprite and a track at once. Like the
 * real pipeline it checks the interrupt flag on every "frame" and throws CancellationException. {@link #renderStarts}
 * records when rendering began for each job (its scratch directory is named after the job id).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FakeRenderer implements Renderer {

    /** Job id (the scratch directory's name) → when its rendering started. */
    static final Map<String, Instant> renderStarts = new ConcurrentHashMap<>();
    /** Job id → its attempts object as stored when rendering started. */
    static final Map<String, ControlStore.Attempts> attemptsAtRender = new ConcurrentHashMap<>();

    @Inject
    ControlStore control;

    @Override
    public MediaPipeline.Outcome render(Path input, MediaInfo inputInfo, List<OutputSpec> outputs,
            Map<String, Path> overlayImages, Path workDir, MediaPipeline.Listener listener) throws MediaException {
        String jobId = workDir.getParent().getFileName().toString();
        renderStarts.put(jobId, Instant.now());
        attemptsAtRender.put(jobId, control.attempts(UUID.fromString(jobId)));
        List<RenderedOutput> rendered = new ArrayList<>();
        for (OutputSpec o : outputs) {
            String n = o.name();
            if (n.startsWith("instant")) {
                rendered.add(write(workDir, n, o, inputInfo));
                continue;
            }
            if (n.startsWith("files")) {
                rendered.add(files(workDir, n, o, inputInfo, Integer.parseInt(n.replaceAll("\\D", "")), listener));
                continue;
            }
            if (n.startsWith("flaky")) {
                throw new StorageUnavailableException("simulated outage", null);
            }
            double media = 0;
            for (int frame = 0; ; frame++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("interrupted");
                }
                boolean advance = !(n.startsWith("stall") && frame > 3);
                if (advance) {
                    media += 0.1;
                }
                listener.onProgress("transcoding", media, 25, Map.of(n, Math.min(100, media * 50)));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    throw new CancellationException("interrupted");
                }
                if (n.startsWith("ok") && frame >= 20) {
                    break;
                }
            }
            rendered.add(write(workDir, n, o, inputInfo));
        }
        return new MediaPipeline.Outcome(rendered, List.of());
    }

    /** {@code count} tiny stills, a sprite and a WebVTT track, like a thumbnails output of a long input. */
    private static RenderedOutput files(Path workDir, String n, OutputSpec o, MediaInfo inputInfo, int count,
            MediaPipeline.Listener listener) {
        try {
            Path dir = Files.createDirectories(workDir.resolve(n));
            List<RenderedOutput.File> files = new ArrayList<>();
            files.add(new RenderedOutput.File("thumbnails.vtt", Files.writeString(dir.resolve("t.vtt"), "WEBVTT"),
                    "text/vtt"));
            files.add(new RenderedOutput.File("sprite.jpg", Files.writeString(dir.resolve("s.jpg"), "sprite"),
                    "image/jpeg"));
            for (int i = 1; i <= count; i++) {
                if (i % 50 == 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("interrupted");
                    }
                    // media time "advances" with the clock, across outputs too
                    listener.onProgress("transcoding", System.nanoTime() / 1e9 % 1e6, 25,
                            Map.of(n, 100.0 * i / count));
                }
                String name = String.format("frames/thumbnail-%06d.jpg", i);
                files.add(new RenderedOutput.File(name, Files.writeString(dir.resolve(i + ".jpg"), "still " + i),
                        "image/jpeg"));
            }
            return new RenderedOutput(n, o.type(), files, inputInfo);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RenderedOutput write(Path workDir, String n, OutputSpec o, MediaInfo inputInfo) {
        try {
            Path file = Files.writeString(workDir.resolve(n + ".mp4"), "rendered " + n);
            return new RenderedOutput(n, o.type(), List.of(new RenderedOutput.File("video.mp4", file, "video/mp4")),
                    inputInfo);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
