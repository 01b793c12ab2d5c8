package dev.framewright.transcoder.worker;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Watches one running attempt from a scheduler thread and interrupts its pipeline thread when it must stop: the
 * client canceled, the attempt ran past its deadline, the pipeline stopped advancing through the media, or the
 * worker shuts down. Liveness is measured in media progress, not in wall-clock locks: a slow but advancing encode
 * is never stalled, a decoder stuck on one frame is.
 */
final class Watchdog {

    enum Verdict {
        NONE, CANCELED, TIMEOUT, STALLED, SHUTDOWN
    }

    private static final Logger LOG = Logger.getLogger(Watchdog.class);

    private final LongSupplier clock;
    private final long deadline;
    private final long stallNanos;
    private final long cancelEveryNanos;
    private final BooleanSupplier cancelRequested;
    private final Thread worker;

    private Verdict verdict = Verdict.NONE;
    private boolean closed;
    private boolean expectingProgress;
    private long lastAdvance;
    private String lastStage;
    private double lastMediaSeconds = -1;
    private long lastCancelCheck;

    /**
     * @param clock           nanoseconds, monotonic
     * @param cancelRequested asks the store whether a cancel was requested; may do I/O, may throw
     * @param worker          the thread to interrupt
     */
    Watchdog(LongSupplier clock, Duration maxDuration, Duration stallTimeout, Duration cancelEvery,
            BooleanSupplier cancelRequested, Thread worker) {
        this.clock = clock;
        long now = clock.getAsLong();
        this.deadline = now + maxDuration.toNanos();
        this.stallNanos = stallTimeout.toNanos();
        this.cancelEveryNanos = cancelEvery.toNanos();
        this.cancelRequested = cancelRequested;
        this.worker = worker;
        this.lastAdvance = now;
        this.lastCancelCheck = now;
    }

    /** Stall detection runs only while the pipeline renders; switching it on starts the stall timer afresh. */
    synchronized void expectProgress(boolean expecting) {
        if (expecting && !expectingProgress) {
            lastAdvance = clock.getAsLong();
            lastStage = null;
            lastMediaSeconds = -1;
        }
        expectingProgress = expecting;
    }

    /** A pipeline callback: position {@code mediaSeconds} in {@code stage}. Only a move forward counts. */
    synchronized void progress(String stage, double mediaSeconds) {
        if (!java.util.Objects.equals(stage, lastStage) || mediaSeconds > lastMediaSeconds) {
            lastStage = stage;
            lastMediaSeconds = mediaSeconds;
            lastAdvance = clock.getAsLong();
        }
    }

    /** One look, from the scheduler: decides and interrupts the worker thread when the attempt must stop. */
    Verdict tick() {
        boolean checkCancel;
        synchronized (this) {
            if (closed || verdict != Verdict.NONE) {
                return verdict;
            }
            long now = clock.getAsLong();
            checkCancel = now - lastCancelCheck >= cancelEveryNanos;
            if (checkCancel) {
                lastCancelCheck = now;
            }
        }
        // The store is asked outside the lock: a slow answer must not block the pipeline's progress callbacks.
        boolean canceled = false;
        if (checkCancel) {
            try {
                canceled = cancelRequested.getAsBoolean();
            } catch (RuntimeException e) {
                LOG.debugf(e, "Cancel check failed; trying again on the next tick");
            }
        }
        synchronized (this) {
            if (closed || verdict != Verdict.NONE) {
                return verdict;
            }
            long now = clock.getAsLong();
            if (canceled) {
                stop(Verdict.CANCELED);
            } else if (now - deadline >= 0) {
                stop(Verdict.TIMEOUT);
            } else if (expectingProgress && now - lastAdvance >= stallNanos) {
                stop(Verdict.STALLED);
            }
            return verdict;
        }
    }

    /** Stops the attempt from outside (shutdown). False when the attempt is past its pipeline already. */
    synchronized boolean abort(Verdict why) {
        if (!closed && verdict == Verdict.NONE) {
            stop(why);
            return true;
        }
        return false;
    }

    /**
     * The attempt's thread is done with the pipeline: no interrupt comes after this returns.
     *
     * @return why the attempt was stopped, {@link Verdict#NONE} if it was not
     */
    synchronized Verdict close() {
        closed = true;
        return verdict;
    }

    synchronized Verdict verdict() {
        return verdict;
    }

    private void stop(Verdict why) {
        verdict = why;
        if (worker != null) {
            worker.interrupt();
        }
    }
}
