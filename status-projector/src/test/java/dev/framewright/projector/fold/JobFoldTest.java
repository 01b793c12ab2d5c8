package dev.framewright.projector.fold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.InputObject;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.OutputType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobFoldTest {

    private final UUID jobId = UUID.randomUUID();
    private final Instant t0 = Instant.parse("2026-11-22T10:00:00Z");

    private final JobRequested requested = new JobRequested(UUID.randomUUID(), jobId, "acme", 0, t0,
            new InputObject("uploads/" + jobId, "clip.mp4", "video/mp4", 10),
            List.of(new OutputSpec("small", OutputType.VIDEO, 640, 360, null),
                    new OutputSpec("thumb", OutputType.IMAGE, 100, 100, null)));

    @Test
    void foldsAHappyJobToSucceededWithItsFiles() {
        JobEntity row = fold(requested, started(1, 1), progress(1, 2, 40), completed(1, 3));

        assertThat(row.status).isEqualTo("succeeded");
        assertThat(row.progressPercent).isEqualTo(100);
        assertThat(row.attempt).isEqualTo(1);
        assertThat(row.startedAt).isEqualTo(t0.plusSeconds(1));
        assertThat(row.finishedAt).isEqualTo(t0.plusSeconds(3));
        assertThat(row.outputs).extracting(OutputState::name, OutputState::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("small", "succeeded"),
                        org.assertj.core.groups.Tuple.tuple("thumb", "succeeded"));
        assertThat(row.outputs.get(0).files()).extracting(OutputFile::key).containsExactly("jobs/x/small.mp4");
    }

    @Test
    void staleProgressNeverMovesAJobBackwards() {
        JobEntity row = fold(requested, started(1, 1), progress(1, 3, 60), progress(1, 2, 30));

        assertThat(row.progressPercent).isEqualTo(60);
    }

    @Test
    void aTerminalStateIsFinal() {
        JobEntity row = fold(requested, started(1, 1), completed(1, 5), progress(1, 6, 10),
                new JobFailed(UUID.randomUUID(), jobId, "acme", 1, t0.plusSeconds(7), "internal", "late"));

        assertThat(row.status).isEqualTo("succeeded");
        assertThat(row.errorCode).isNull();
    }

    @Test
    void eventsOfAnOlderAttemptAreIgnoredAndANewAttemptRestartsProgress() {
        JobEntity row = fold(requested, started(1, 1), progress(1, 2, 80), started(2, 3), progress(1, 4, 90));

        assertThat(row.attempt).isEqualTo(2);
        assertThat(row.progressPercent).isEqualTo(0);
        assertThat(row.status).isEqualTo("running");
    }

    @Test
    void anEventBeforeItsRequestStillBuildsTheFullRow() {
        JobEntity row = fold(started(1, 1), requested, progress(1, 2, 50));

        assertThat(row.status).isEqualTo("running");
        assertThat(row.input.filename()).isEqualTo("clip.mp4");
        assertThat(row.outputs).extracting(OutputState::name).containsExactly("small", "thumb");
        assertThat(row.createdAt).isEqualTo(t0);
    }

    @Test
    void failureMarksUnfinishedOutputsFailed() {
        JobEntity row = fold(requested, started(1, 1),
                new JobFailed(UUID.randomUUID(), jobId, "acme", 1, t0.plusSeconds(2), "unsupported_media", "nope"));

        assertThat(row.status).isEqualTo("failed");
        assertThat(row.errorCode).isEqualTo("unsupported_media");
        assertThat(row.outputs).extracting(OutputState::status).containsOnly("failed");
    }

    private JobEntity fold(JobEvent... events) {
        JobEntity row = JobFold.newRow(events[0]);
        for (JobEvent event : events) {
            JobFold.apply(row, event);
        }
        return row;
    }

    private JobStarted started(int attempt, int second) {
        return new JobStarted(UUID.randomUUID(), jobId, "acme", attempt, t0.plusSeconds(second), "w1");
    }

    private JobProgress progress(int attempt, int second, double percent) {
        return new JobProgress(UUID.randomUUID(), jobId, "acme", attempt, t0.plusSeconds(second), percent,
                "transcoding:small", 1, 30);
    }

    private JobCompleted completed(int attempt, int second) {
        return new JobCompleted(UUID.randomUUID(), jobId, "acme", attempt, t0.plusSeconds(second), null,
                List.of(new OutputResult("small", OutputType.VIDEO,
                        List.of(new OutputFile("jobs/x/small.mp4", 5, "video/mp4")), null),
                        new OutputResult("thumb", OutputType.IMAGE,
                                List.of(new OutputFile("jobs/x/thumb.jpg", 3, "image/jpeg")), null)));
    }
}
