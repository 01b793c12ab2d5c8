package dev.framewright.transcoder.worker;

import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns pipeline callbacks into throttled {@link JobProgress} events (at most one per interval, stage changes at
 * once). The job's percent never goes backwards: downloading and probing take the first {@value #RENDER_FROM} %,
 * rendering (the mean of the outputs' percents) runs to {@value #RENDER_TO} %, uploading takes the rest.
 *
 * <p>The ETA is measured, not guessed: media time left in the current stage divided by the media seconds per
 * wall-clock second this stage has achieved so far. It stays null until the stage has run for a second and moved.
 */
final class ProgressReporter {

    static final double RENDER_FROM = 3;
    static final double RENDER_TO = 95;
    private static final long MEASURE_AFTER_NANOS = 1_000_000_000L;

    private final Consumer<JobProgress> sink;
    private final JobRequested job;
    private final int attempt;
    private final long intervalNanos;
    private final LongSupplier clock;
    private Double mediaDuration;

    private long lastSent;
    private boolean sentAny;
    private double lastPercent;
    private String stage;
    private long stageStart;
    private double stageStartMedia;

    /**
     * @param mediaDuration seconds of input media, null for a still image (no ETA then)
     */
    ProgressReporter(Consumer<JobProgress> sink, JobRequested job, int attempt, Duration interval,
            LongSupplier clock, Double mediaDuration) {
        this.sink = sink;
        this.job = job;
        this.attempt = attempt;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.mediaDuration = mediaDuration;
    }

    /** Once the probe has measured the input. */
    synchronized void mediaDuration(Double duration) {
        this.mediaDuration = duration;
    }

    /** A stage without media progress (downloading, probing, uploading), reported straight away. */
    synchronized void stage(String name, double percent) {
        enter(name, 0);
        send(name, percent, 0, 0, null, Map.of(), true);
    }

    /** A pipeline callback. */
    synchronized void render(String name, double mediaSecondsDone, double fps, Map<String, Double> outputPercent) {
        boolean changed = enter(name, mediaSecondsDone);
        double fraction;
        if (outputPercent != null && !outputPercent.isEmpty()) {
            fraction = outputPercent.values().stream().mapToDouble(v -> clamp(v, 0, 100)).average().orElse(0) / 100;
        } else if (mediaDuration != null && mediaDuration > 0) {
            fraction = clamp(mediaSecondsDone / mediaDuration, 0, 1);
        } else {
            fraction = 0;
        }
        double percent = RENDER_FROM + (RENDER_TO - RENDER_FROM) * fraction;
        send(name, percent, mediaSecondsDone, fps, eta(mediaSecondsDone), outputPercent, changed);
    }

    /**
     * Seconds left in the current stage at the measured speed; null until measured (a second into the stage, and
     * some media done) or when the media has no duration.
     */
    synchronized Double eta(double mediaSecondsDone) {
        if (mediaDuration == null || stage == null) {
            return null;
        }
        long elapsed = clock.getAsLong() - stageStart;
        double done = mediaSecondsDone - stageStartMedia;
        if (elapsed < MEASURE_AFTER_NANOS || done <= 0) {
            return null;
        }
        double mediaPerSecond = done / (elapsed / 1e9);
        double left = Math.max(0, mediaDuration - mediaSecondsDone);
        return Math.round(left / mediaPerSecond * 10) / 10.0;
    }

    private boolean enter(String name, double mediaSecondsDone) {
        if (name.equals(stage)) {
            return false;
        }
        stage = name;
        stageStart = clock.getAsLong();
        stageStartMedia = mediaSecondsDone;
        return true;
    }

    private void send(String name, double percent, double mediaSecondsDone, double fps, Double eta,
            Map<String, Double> outputs, boolean force) {
        long now = clock.getAsLong();
        percent = Math.max(lastPercent, Math.min(percent, 99.9));
        if (!force && sentAny && now - lastSent < intervalNanos) {
            return;
        }
        lastSent = now;
        sentAny = true;
        lastPercent = percent;
        Map<String, Double> rounded = new LinkedHashMap<>();
        if (outputs != null) {
            outputs.forEach((k, v) -> rounded.put(k, Math.round(clamp(v, 0, 100) * 10) / 10.0));
        }
        sink.accept(new JobProgress(UUID.randomUUID(), job.jobId(), job.tenant(), attempt, Instant.now(),
                Math.round(percent * 10) / 10.0, name, mediaSecondsDone, Math.round(fps * 10) / 10.0, eta,
                rounded.isEmpty() ? null : rounded));
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
