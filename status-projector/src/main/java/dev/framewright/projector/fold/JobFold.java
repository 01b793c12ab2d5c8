package dev.framewright.projector.fold;

import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds one event into a job row. Pure and order-safe: events of an older attempt, progress that would move
 * backwards, and anything after a terminal state leave the row as it was. Events may arrive in any order across
 * the two topics (a JobStarted before its JobRequested), so every event can create the row.
 */
public final class JobFold {

    private JobFold() {
    }

    /** The row the projector creates (by upsert) for a job it sees first: queued, stamped with the event time. */
    public static JobEntity newRow(JobEvent event) {
        JobEntity row = new JobEntity();
        row.id = event.jobId();
        row.tenant = event.tenant();
        row.status = JobStatus.QUEUED.wireName();
        row.createdAt = event.time();
        row.updatedAt = event.time();
        return row;
    }

    /** @return whether the row changed */
    public static boolean apply(JobEntity row, JobEvent event) {
        // Java 17 bytecode: no pattern-matching switch yet.
        if (event instanceof JobRequested e) {
            return requested(row, e);
        } else if (event instanceof JobStarted e) {
            return started(row, e);
        } else if (event instanceof JobProgress e) {
            return progress(row, e);
        } else if (event instanceof JobCompleted e) {
            return completed(row, e);
        } else if (event instanceof JobFailed e) {
            return failed(row, e);
        }
        throw new IllegalArgumentException("Unknown event " + event.getClass());
    }

    private static boolean requested(JobEntity row, JobRequested e) {
        // Fills in what the request knows without touching the status, which later events may already have moved.
        row.input = e.input();
        if (e.time().isBefore(row.createdAt)) {
            row.createdAt = e.time();
        }
        Map<String, OutputState> byName = byName(row.outputs);
        List<OutputState> merged = new ArrayList<>();
        for (OutputSpec spec : e.outputs()) {
            OutputState known = byName.remove(spec.name());
            merged.add(known != null ? known : OutputState.queued(spec));
        }
        merged.addAll(byName.values());
        row.outputs = merged;
        return touched(row, e);
    }

    private static boolean started(JobEntity row, JobStarted e) {
        if (row.jobStatus().isTerminal() || e.attempt() < row.attempt) {
            return false;
        }
        if (e.attempt() > row.attempt) {
            row.progressPercent = 0;
        }
        row.attempt = e.attempt();
        row.status = JobStatus.RUNNING.wireName();
        row.progressStage = "starting";
        if (row.startedAt == null) {
            row.startedAt = e.time();
        }
        row.outputs = withStatus(row.outputs, JobStatus.RUNNING);
        return touched(row, e);
    }

    private static boolean progress(JobEntity row, JobProgress e) {
        if (row.jobStatus().isTerminal() || e.attempt() < row.attempt) {
            return false;
        }
        boolean newerAttempt = e.attempt() > row.attempt;
        if (!newerAttempt && e.percent() < row.progressPercent) {
            return false;
        }
        row.attempt = e.attempt();
        row.status = JobStatus.RUNNING.wireName();
        row.progressPercent = Math.min(100, Math.max(0, e.percent()));
        row.progressStage = e.stage();
        if (row.startedAt == null) {
            row.startedAt = e.time();
        }
        return touched(row, e);
    }

    private static boolean completed(JobEntity row, JobCompleted e) {
        if (row.jobStatus().isTerminal()) {
            return false;
        }
        row.attempt = Math.max(row.attempt, e.attempt());
        row.status = JobStatus.SUCCEEDED.wireName();
        row.progressPercent = 100;
        row.progressStage = "done";
        if (e.input() != null) {
            row.inputMedia = e.input();
        }
        Map<String, OutputState> byName = byName(row.outputs);
        for (OutputResult result : e.outputs()) {
            OutputState known = byName.get(result.name());
            OutputState base = known != null ? known
                    : new OutputState(result.name(), result.type().wireName(), null, null, null, null, List.of(), null);
            byName.put(result.name(), base.succeeded(result.files(), result.media()));
        }
        row.outputs = new ArrayList<>(byName.values());
        row.finishedAt = e.time();
        if (row.startedAt == null) {
            row.startedAt = e.time();
        }
        return touched(row, e);
    }

    private static boolean failed(JobEntity row, JobFailed e) {
        if (row.jobStatus().isTerminal()) {
            return false;
        }
        row.attempt = Math.max(row.attempt, e.attempt());
        row.status = JobStatus.FAILED.wireName();
        row.progressStage = "failed";
        row.errorCode = e.code();
        row.errorMessage = e.message();
        row.outputs = row.outputs.stream()
                .map(o -> o.isTerminal() ? o : o.withStatus(JobStatus.FAILED))
                .toList();
        row.finishedAt = e.time();
        return touched(row, e);
    }

    private static List<OutputState> withStatus(List<OutputState> outputs, JobStatus status) {
        return outputs.stream().map(o -> o.isTerminal() ? o : o.withStatus(status)).toList();
    }

    private static Map<String, OutputState> byName(List<OutputState> outputs) {
        Map<String, OutputState> byName = new LinkedHashMap<>();
        outputs.forEach(o -> byName.put(o.name(), o));
        return byName;
    }

    private static boolean touched(JobEntity row, JobEvent e) {
        if (row.updatedAt == null || e.time().isAfter(row.updatedAt)) {
            row.updatedAt = e.time();
        }
        return true;
    }
}
