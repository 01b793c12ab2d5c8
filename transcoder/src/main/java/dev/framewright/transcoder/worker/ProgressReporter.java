package dev.framewright.transcoder.worker;

import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import dev.framewright.transcoder.events.LifecycleEmitter;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Turns per-frame pipeline callbacks into throttled {@link JobProgress} events. The job's percent is spread over
 * its stages by weight (media seconds for encodes), so it never jumps backwards between outputs.
 */
final class ProgressReporter {

    private final LifecycleEmitter emitter;
    private final JobRequested job;
    private final int attempt;
    private final long intervalNanos;
    private final double totalWeight;

    private double doneWeight;
    private long lastSent = Long.MIN_VALUE;
    private double lastPercent = -1;

    ProgressReporter(LifecycleEmitter emitter, JobRequested job, int attempt, Duration interval, double totalWeight) {
        this.emitter = emitter;
        this.job = job;
        this.attempt = attempt;
        this.intervalNanos = interval.toNanos();
        this.totalWeight = Math.max(totalWeight, 1e-9);
    }

    /** Reports progress inside a stage of the given weight; {@code fraction} is 0..1 of that stage. */
    void inStage(String stage, double stageWeight, double fraction, double mediaSecondsDone, double fps) {
        double percent = 100 * (doneWeight + stageWeight * Math.min(1, Math.max(0, fraction))) / totalWeight;
        send(stage, Math.min(percent, 99.9), mediaSecondsDone, fps, false);
    }

    /** Marks a stage finished and reports it straight away. */
    void stageDone(String stage, double stageWeight) {
        doneWeight += stageWeight;
        send(stage, Math.min(100 * doneWeight / totalWeight, 99.9), 0, 0, true);
    }

    private void send(String stage, double percent, double mediaSecondsDone, double fps, boolean force) {
        long now = System.nanoTime();
        if (percent <= lastPercent || (!force && lastSent != Long.MIN_VALUE && now - lastSent < intervalNanos)) {
            return;
        }
        lastSent = now;
        lastPercent = percent;
        emitter.emit(new JobProgress(UUID.randomUUID(), job.jobId(), job.tenant(), attempt, Instant.now(),
                Math.round(percent * 10) / 10.0, stage, mediaSecondsDone, Math.round(fps * 10) / 10.0, null, null));
    }
}
