package dev.framewright.projector.fold;

import dev.framewright.events.JobCanceled;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobExpired;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFailure;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds one event into a job row. Pure, so it is tested without a database; duplicates are the caller's concern
 * (event ids in {@code job_events}). The rules that make it order-safe:
 * <ul>
 * <li>Every event can create the row: the request and the lifecycle travel on different topics, so a JobStarted may
 * be folded before its JobRequested. A request fills in what it knows and never moves the status.</li>
 * <li>A terminal state is final, except for an explicit retry (a JobRequested with {@code retry}), which re-opens
 * the job. Lifecycle events of the retry's attempt or older are stale from then on; a stale terminal event still
 * records the outputs the retry keeps, so a replay that reads the retry before them ends where the live fold
 * did.</li>
 * <li>Events of an attempt older than the newest seen are ignored; a newer attempt restarts progress.</li>
 * <li>Within an attempt progress never moves backwards.</li>
 * <li>{@code updated_at} is the newest event time seen, so it too is independent of order.</li>
 * <li>A job belongs to the tenant of its first event (job-api's seed): an event of another tenant is refused
 * ({@link ForeignTenantEvent}), never folded.</li>
 * </ul>
 */
public final class JobFold {

    private static final int[] MILESTONES = {25, 50, 75};

    private JobFold() {
    }

    /** The row the projector creates (by upsert) for a job it has not seen: queued, stamped with the event time. */
    public static JobRow newRow(JobEvent event) {
        JobRow row = new JobRow();
        row.id = event.jobId();
        row.tenant = event.tenant();
        row.createdAt = event.time();
        row.updatedAt = event.time();
        return row;
    }

    public static Folded apply(JobRow row, JobEvent event) {
        if (row.tenant != null && !row.tenant.equals(event.tenant())) {
            throw new ForeignTenantEvent(event, row.tenant);
        }
        touch(row, event);
        // Java 17 bytecode: no pattern-matching switch.
        if (event instanceof JobRequested e) {
            return e.retry() ? retry(row, e) : requested(row, e);
        } else if (event instanceof JobStarted e) {
            return started(row, e);
        } else if (event instanceof JobProgress e) {
            return progress(row, e);
        } else if (event instanceof JobCompleted e) {
            return completed(row, e);
        } else if (event instanceof JobFailed e) {
            return failed(row, e);
        } else if (event instanceof JobCanceled e) {
            return canceled(row, e);
        } else if (event instanceof JobExpired e) {
            return expired(row, e);
        }
        throw new IllegalArgumentException("Unknown event " + event.getClass());
    }

    /**
     * Whether folding {@code earlier} and then {@code later} (the job's next event) leaves {@code row} exactly as
     * folding {@code later} alone does, apart from {@code updated_at} ({@link #touch}). Most of a batch is progress of
     * a few jobs; the fold then skips all but the newest. Holds when both are of the same attempt (so the same
     * staleness and attempt rules apply), the later one is at least as far overall and for every output the earlier
     * one names, and the earlier one cannot change anything the later one does not overwrite: it adds no output the
     * row lacks and would not move {@code started_at}. Progress a webhook hears of (milestones) is never skipped.
     */
    public static boolean supersedes(JobRow row, JobProgress later, JobProgress earlier) {
        if (later.attempt() != earlier.attempt() || clamp(later.percent()) < clamp(earlier.percent())
                || (row.webhookUrl != null && row.webhookProgress)
                || row.startedAt == null || earlier.time().isBefore(row.startedAt)) {
            return false;
        }
        if (earlier.outputs() == null || earlier.outputs().isEmpty()) {
            return true;
        }
        for (Map.Entry<String, Double> o : earlier.outputs().entrySet()) {
            if (!hasOutput(row, o.getKey())) {
                return false;
            }
            if (o.getValue() != null) {
                Double after = later.outputs() == null ? null : later.outputs().get(o.getKey());
                if (after == null || clamp(after) < clamp(o.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What folding an event {@link #supersedes superseded} still does: {@code updated_at} is the newest time seen. */
    public static void touch(JobRow row, JobEvent event) {
        if (row.updatedAt == null || event.time().isAfter(row.updatedAt)) {
            row.updatedAt = event.time();
        }
    }

    private static boolean hasOutput(JobRow row, String name) {
        for (OutputState o : row.outputs) {
            if (o.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Folded requested(JobRow row, JobRequested e) {
        boolean hadWebhook = row.webhookUrl != null;
        requestFields(row, e);
        if (e.time().isBefore(row.createdAt)) {
            row.createdAt = e.time();
        }
        Map<String, OutputState> byName = byName(row.outputs);
        List<OutputState> merged = new ArrayList<>();
        for (OutputSpec spec : e.outputs()) {
            OutputState known = byName.remove(spec.name());
            merged.add(known != null ? known.withSpec(spec) : newOutput(row, spec));
        }
        merged.addAll(byName.values());
        row.outputs = merged;
        return !hadWebhook && row.webhookUrl != null && row.jobStatus().isTerminal() ? Folded.EARLIER_TERMINAL
                : Folded.NOTHING;
    }

    /** An output the request names that no event mentioned yet: it is wherever the job is. */
    private static OutputState newOutput(JobRow row, OutputSpec spec) {
        JobStatus status = row.jobStatus();
        if (status == JobStatus.FAILED) {
            return OutputState.of(spec, JobStatus.QUEUED).failed(null, row.errorCode, row.errorMessage);
        }
        return OutputState.of(spec, status);
    }

    private static void requestFields(JobRow row, JobRequested e) {
        if (e.input() != null) {
            row.input = e.input();
        }
        row.queue = e.queue() != null ? e.queue() : Topics.DEFAULT_QUEUE;
        if (e.labels() != null && (!e.labels().isEmpty() || !e.retry())) {
            row.labels = new LinkedHashMap<>(e.labels());
        }
        if (e.webhook() != null) {
            row.webhookUrl = e.webhook().url();
            row.webhookProgress = e.webhook().progress();
        }
        if (e.maxDurationSeconds() != null) {
            row.maxDurationSeconds = e.maxDurationSeconds();
        }
        if (e.expiresAt() != null) {
            row.expiresAt = e.expiresAt();
        }
    }

    private static Folded retry(JobRow row, JobRequested e) {
        if ((row.retriedAttempt != null && e.attempt() <= row.retriedAttempt) || e.attempt() < row.attempt) {
            return Folded.NOTHING; // an older retry: a newer one, or a newer attempt, was already folded
        }
        requestFields(row, e);
        row.retriedAttempt = e.attempt();
        row.retriedAt = e.time();
        row.retriedOutputs = e.outputs().stream().map(OutputSpec::name).toList();
        row.attempt = Math.max(row.attempt, e.attempt());
        row.status = JobStatus.QUEUED.wireName();
        row.errorCode = null;
        row.errorMessage = null;
        row.startedAt = null;
        row.finishedAt = null;
        row.canceledAt = null;
        resetProgress(row);
        row.progressStage = null;
        Map<String, OutputState> byName = byName(row.outputs);
        for (OutputSpec spec : e.outputs()) {
            OutputState known = byName.get(spec.name());
            byName.put(spec.name(), known != null ? known.requeued(spec) : OutputState.of(spec, JobStatus.QUEUED));
        }
        row.outputs = new ArrayList<>(byName.values());
        return Folded.NOTHING;
    }

    private static boolean stale(JobRow row, JobEvent e) {
        return row.retriedAttempt != null && e.attempt() <= row.retriedAttempt;
    }

    /** Whether a lifecycle event of a running attempt is ignored. */
    private static boolean ignoredLive(JobRow row, JobEvent e) {
        return stale(row, e) || row.jobStatus().isTerminal() || e.attempt() < row.attempt;
    }

    private static void enterAttempt(JobRow row, int attempt) {
        if (attempt > row.attempt) {
            row.attempt = attempt;
            resetProgress(row);
        }
    }

    private static void resetProgress(JobRow row) {
        row.progressPercent = 0;
        row.progressFps = null;
        row.progressEtaSeconds = null;
        row.outputs = row.outputs.stream().map(o -> o.isTerminal() ? o : o.withProgress(0)).toList();
    }

    private static void running(JobRow row, Instant time) {
        row.status = JobStatus.RUNNING.wireName();
        if (row.startedAt == null || time.isBefore(row.startedAt)) {
            row.startedAt = time;
        }
        row.outputs = row.outputs.stream().map(o -> o.isTerminal() ? o : o.withStatus(JobStatus.RUNNING)).toList();
    }

    private static Folded started(JobRow row, JobStarted e) {
        if (ignoredLive(row, e)) {
            return Folded.NOTHING;
        }
        enterAttempt(row, e.attempt());
        running(row, e.time());
        if (row.progressStage == null) {
            row.progressStage = "starting";
        }
        return Folded.NOTHING;
    }

    private static Folded progress(JobRow row, JobProgress e) {
        if (ignoredLive(row, e)) {
            return Folded.NOTHING;
        }
        enterAttempt(row, e.attempt());
        double percent = clamp(e.percent());
        double before = row.progressPercent;
        if (percent < before) {
            return Folded.NOTHING; // an older progress of this attempt
        }
        running(row, e.time());
        row.progressPercent = percent;
        row.progressStage = e.stage();
        row.progressFps = e.fps();
        row.progressEtaSeconds = e.etaSeconds();
        if (e.outputs() != null && !e.outputs().isEmpty()) {
            Map<String, OutputState> byName = byName(row.outputs);
            e.outputs().forEach((name, p) -> {
                OutputState o = byName.computeIfAbsent(name, n -> OutputState.unknown(n, null, JobStatus.RUNNING));
                if (!o.isTerminal() && p != null && clamp(p) > o.progress()) {
                    byName.put(name, o.withProgress(clamp(p)));
                }
            });
            row.outputs = new ArrayList<>(byName.values());
        }
        int crossed = 0;
        for (int m : MILESTONES) {
            if (before < m && percent >= m) {
                crossed = m;
            }
        }
        return crossed > 0 ? Folded.milestone(crossed) : Folded.NOTHING;
    }

    private static Folded completed(JobRow row, JobCompleted e) {
        if (stale(row, e)) {
            keepResults(row, e.input(), e.outputs(), List.of(), JobStatus.SUCCEEDED, null, null);
            return Folded.NOTHING;
        }
        if (ignoredLive(row, e)) {
            return Folded.NOTHING;
        }
        enterAttempt(row, e.attempt());
        finish(row, JobStatus.SUCCEEDED, e.time());
        if (row.startedAt == null) {
            row.startedAt = e.time();
        }
        row.progressPercent = 100;
        row.errorCode = null;
        row.errorMessage = null;
        if (e.input() != null) {
            row.inputMedia = e.input();
        }
        // The contract: every output was produced. Those the event does not list were kept from an earlier attempt.
        row.outputs = results(row.outputs, e.outputs(), List.of(), JobStatus.SUCCEEDED, null, null, null);
        return Folded.TERMINAL;
    }

    private static Folded failed(JobRow row, JobFailed e) {
        if (stale(row, e)) {
            keepResults(row, e.input(), e.outputs(), e.failedOutputs(), JobStatus.FAILED, e.code(), e.message());
            return Folded.NOTHING;
        }
        if (ignoredLive(row, e)) {
            return Folded.NOTHING;
        }
        enterAttempt(row, e.attempt());
        finish(row, JobStatus.FAILED, e.time());
        row.errorCode = e.code();
        row.errorMessage = e.message();
        if (e.input() != null) {
            row.inputMedia = e.input();
        }
        row.outputs = results(row.outputs, e.outputs(), e.failedOutputs(), JobStatus.FAILED, e.code(), e.message(),
                null);
        return Folded.TERMINAL;
    }

    private static Folded canceled(JobRow row, JobCanceled e) {
        // A cancel is judged by time, not attempt: job-api cancels a queued job with whatever attempt it last saw,
        // possibly while a worker is starting a newer one (which then stops without a terminal event of its own).
        boolean beforeRetry = row.retriedAt != null && e.time().isBefore(row.retriedAt);
        if (beforeRetry) {
            keepResults(row, null, List.of(), List.of(), JobStatus.CANCELED, null, null);
            return Folded.NOTHING;
        }
        if (row.jobStatus().isTerminal()) {
            return Folded.NOTHING;
        }
        row.attempt = Math.max(row.attempt, e.attempt());
        finish(row, JobStatus.CANCELED, e.time());
        row.canceledAt = e.time();
        row.outputs = row.outputs.stream().map(o -> o.isTerminal() ? o : o.withStatus(JobStatus.CANCELED)).toList();
        return Folded.TERMINAL;
    }

    private static Folded expired(JobRow row, JobExpired e) {
        if (row.expiredAt == null || e.time().isBefore(row.expiredAt)) {
            row.expiredAt = e.time();
        }
        return Folded.NOTHING;
    }

    private static void finish(JobRow row, JobStatus status, Instant time) {
        row.status = status.wireName();
        row.finishedAt = time;
        row.progressStage = status.wireName();
        row.progressFps = null;
        row.progressEtaSeconds = null;
    }

    /**
     * The outputs after a terminal event: listed successes get their files, listed failures their error, and the
     * rest that were still open end as the job did ({@code rest}, with the job's error for a failure).
     *
     * @param except when not null, outputs named here stay as they are (a stale event after a retry)
     */
    private static List<OutputState> results(List<OutputState> outputs, List<OutputResult> succeeded,
            List<OutputFailure> failed, JobStatus rest, String code, String message, List<String> except) {
        Map<String, OutputState> byName = byName(outputs);
        List<String> listed = new ArrayList<>();
        for (OutputResult r : succeeded == null ? List.<OutputResult>of() : succeeded) {
            listed.add(r.name());
            if (except == null || !except.contains(r.name())) {
                OutputState o = byName.computeIfAbsent(r.name(),
                        n -> OutputState.unknown(n, r.type().wireName(), JobStatus.RUNNING));
                byName.put(r.name(), o.succeeded(r.type().wireName(), r.files(), r.media(), r.fileCount(),
                        r.manifest()));
            }
        }
        for (OutputFailure f : failed == null ? List.<OutputFailure>of() : failed) {
            listed.add(f.name());
            if (except == null || !except.contains(f.name())) {
                OutputState o = byName.computeIfAbsent(f.name(),
                        n -> OutputState.unknown(n, f.type() == null ? null : f.type().wireName(), JobStatus.RUNNING));
                byName.put(f.name(), o.failed(f.type() == null ? null : f.type().wireName(), f.code(), f.message()));
            }
        }
        byName.replaceAll((name, o) -> {
            if (o.isTerminal() || listed.contains(name) || (except != null && except.contains(name))) {
                return o;
            }
            return switch (rest) {
                case SUCCEEDED -> o.succeeded(null, o.files(), o.media());
                case FAILED -> o.failed(null, code, message);
                default -> o.withStatus(rest);
            };
        });
        return new ArrayList<>(byName.values());
    }

    /** A terminal event of an attempt a retry already follows: it only records the outputs the retry keeps. */
    private static void keepResults(JobRow row, MediaInfo input, List<OutputResult> succeeded,
            List<OutputFailure> failed, JobStatus rest, String code, String message) {
        if (row.inputMedia == null && input != null) {
            row.inputMedia = input;
        }
        List<String> retried = row.retriedOutputs == null ? List.of() : row.retriedOutputs;
        row.outputs = results(row.outputs, succeeded, failed, rest, code, message, retried);
    }

    private static double clamp(double percent) {
        return Math.min(100, Math.max(0, percent));
    }

    private static Map<String, OutputState> byName(List<OutputState> outputs) {
        Map<String, OutputState> byName = new LinkedHashMap<>();
        outputs.forEach(o -> byName.put(o.name(), o));
        return byName;
    }
}
