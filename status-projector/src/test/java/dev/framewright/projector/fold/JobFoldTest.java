package dev.framewright.projector.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.framewright.events.FailureCode;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.InputObject;
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
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.OutputType;
import dev.framewright.events.VideoOutput;
import dev.framewright.events.Webhook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobFoldTest {

    private final UUID jobId = UUID.randomUUID();
    private final Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    private final List<OutputSpec> specs = List.of(VideoOutput.of("small", 640, 360), ImageOutput.of("thumb", 100, 100));
    private final MediaInfo inputMedia = MediaInfo.summary("mov,mp4", 10.0, 1280, 720, "h264", 25.0, "aac", 48000, 2);

    private final JobRequested requested = new JobRequested(UUID.randomUUID(), jobId, "acme", 0, t0, "gpu",
            new InputObject("uploads/acme/" + jobId, "clip.mp4", "video/mp4", 10), specs, Map.of("project", "x"),
            new Webhook("https://example.test/hook", true), 600, t0.plusSeconds(86_400), false);

    // --- the happy path, field by field ---

    @Test
    void anEventOfAnotherTenantIsRefusedAndLeavesTheJobAsItWas() {
        JobRow row = fold(requested, started(1, 1));
        JobRow before = fold(requested, started(1, 1));
        JobFailed forged = JobFailed.of(UUID.randomUUID(), jobId, "mallory", 1, t0.plusSeconds(2),
                dev.framewright.events.FailureCode.INTERNAL, "forged");

        assertThatThrownBy(() -> JobFold.apply(row, forged)).isInstanceOf(ForeignTenantEvent.class)
                .hasMessageContaining("mallory").hasMessageContaining("acme");
        assertThat(row).usingRecursiveComparison().isEqualTo(before);
        assertThat(dev.framewright.projector.kafka.Failures.isTransient(new RuntimeException(
                new ForeignTenantEvent(forged, "acme")))).isFalse();
        assertThat(dev.framewright.projector.kafka.Failures.reason(new ForeignTenantEvent(forged, "acme")))
                .isEqualTo("tenant_mismatch");
    }

    @Test
    void requestedFillsEverythingTheRequestKnows() {
        JobRow row = fold(requested);

        assertThat(row.status).isEqualTo("queued");
        assertThat(row.queue).isEqualTo("gpu");
        assertThat(row.labels).containsExactly(Map.entry("project", "x"));
        assertThat(row.webhookUrl).isEqualTo("https://example.test/hook");
        assertThat(row.webhookProgress).isTrue();
        assertThat(row.maxDurationSeconds).isEqualTo(600);
        assertThat(row.expiresAt).isEqualTo(t0.plusSeconds(86_400));
        assertThat(row.input.filename()).isEqualTo("clip.mp4");
        assertThat(row.createdAt).isEqualTo(t0);
        assertThat(row.outputs).extracting(OutputState::name, OutputState::type, OutputState::status)
                .containsExactly(tuple("small", "video", "queued"), tuple("thumb", "image", "queued"));
        assertThat(row.outputs.get(0).spec()).isEqualTo(specs.get(0));
    }

    @Test
    void startedRunsTheJobAtTheHighestAttempt() {
        JobRow row = fold(requested, started(1, 1));

        assertThat(row.status).isEqualTo("running");
        assertThat(row.attempt).isEqualTo(1);
        assertThat(row.startedAt).isEqualTo(t0.plusSeconds(1));
        assertThat(row.outputs).extracting(OutputState::status).containsOnly("running");
    }

    @Test
    void progressCarriesStageFpsEtaAndPerOutputProgress() {
        JobRow row = fold(requested, started(1, 1), progress(1, 2, 40, Map.of("small", 55.0, "thumb", 10.0)));

        assertThat(row.progressPercent).isEqualTo(40);
        assertThat(row.progressStage).isEqualTo("transcoding");
        assertThat(row.progressFps).isEqualTo(30);
        assertThat(row.progressEtaSeconds).isEqualTo(12);
        assertThat(row.outputs).extracting(OutputState::progress).containsExactly(55.0, 10.0);
    }

    @Test
    void completedSucceedsWithFilesMediaAndFullProgress() {
        JobRow row = fold(requested, started(1, 1), progress(1, 2, 40, Map.of()), completed(1, 3));

        assertThat(row.status).isEqualTo("succeeded");
        assertThat(row.progressPercent).isEqualTo(100);
        assertThat(row.finishedAt).isEqualTo(t0.plusSeconds(3));
        assertThat(row.inputMedia).isEqualTo(inputMedia);
        assertThat(row.progressFps).isNull();
        assertThat(row.outputs).extracting(OutputState::name, OutputState::status, OutputState::progress)
                .containsExactly(tuple("small", "succeeded", 100.0), tuple("thumb", "succeeded", 100.0));
        assertThat(row.outputs.get(0).files()).extracting(OutputFile::path).containsExactly("video.mp4");
        assertThat(row.outputs.get(0).media().width()).isEqualTo(640);
        assertThat(row.outputs.get(0).spec()).isEqualTo(specs.get(0));
        assertThat(row.updatedAt).isEqualTo(t0.plusSeconds(3));
    }

    @Test
    void failedKeepsSucceededOutputsAndGivesFailedOnesTheirError() {
        JobFailed failed = new JobFailed(UUID.randomUUID(), jobId, "acme", 1, t0.plusSeconds(4), "invalid_output",
                "thumb: no frame at 99 s", inputMedia, List.of(result("small", OutputType.VIDEO, "video.mp4")),
                List.of(new OutputFailure("thumb", OutputType.IMAGE, "invalid_output", "no frame at 99 s")));

        JobRow row = fold(requested, started(1, 1), failed);

        assertThat(row.status).isEqualTo("failed");
        assertThat(row.errorCode).isEqualTo("invalid_output");
        assertThat(row.errorMessage).isEqualTo("thumb: no frame at 99 s");
        assertThat(row.finishedAt).isEqualTo(t0.plusSeconds(4));
        assertThat(row.inputMedia).isEqualTo(inputMedia);
        assertThat(row.outputs.get(0).status()).isEqualTo("succeeded");
        assertThat(row.outputs.get(0).files()).hasSize(1);
        assertThat(row.outputs.get(1).status()).isEqualTo("failed");
        assertThat(row.outputs.get(1).error()).isEqualTo(new OutputState.Error("invalid_output", "no frame at 99 s"));
        assertThat(row.outputs.get(1).files()).isEmpty();
    }

    @Test
    void aWholeJobFailureFailsEveryOpenOutputWithTheJobsError() {
        JobRow row = fold(requested, started(1, 1), failed(1, 2));

        assertThat(row.status).isEqualTo("failed");
        assertThat(row.errorCode).isEqualTo("unsupported_media");
        assertThat(row.outputs).extracting(OutputState::status).containsOnly("failed");
        assertThat(row.outputs).extracting(o -> o.error().code()).containsOnly("unsupported_media");
    }

    @Test
    void canceledStampsCanceledAtAndFinishedAt() {
        JobRow row = fold(requested, started(1, 1), canceled(1, 5));

        assertThat(row.status).isEqualTo("canceled");
        assertThat(row.canceledAt).isEqualTo(t0.plusSeconds(5));
        assertThat(row.finishedAt).isEqualTo(t0.plusSeconds(5));
        assertThat(row.outputs).extracting(OutputState::status).containsOnly("canceled");
    }

    @Test
    void aCancelOfAQueuedJobWinsOverAWorkerThatStartedANewerAttempt() {
        // job-api canceled with the attempt it saw (0) while a worker was starting attempt 1.
        JobRow row = fold(requested, started(1, 1), canceled(0, 2));

        assertThat(row.status).isEqualTo("canceled");
        assertThat(row.attempt).isEqualTo(1);
    }

    @Test
    void expiredStampsExpiredAtAndLeavesTheStatus() {
        JobRow row = fold(requested, started(1, 1), completed(1, 2), expired(9), expired(10));

        assertThat(row.status).isEqualTo("succeeded");
        assertThat(row.expiredAt).isEqualTo(t0.plusSeconds(9));
    }

    // --- order, staleness, duplicates ---

    @Test
    void progressNeverMovesBackwardsWithinAnAttempt() {
        JobRow row = fold(requested, started(1, 1), progress(1, 3, 60, Map.of("small", 60.0)),
                progress(1, 2, 30, Map.of("small", 30.0)));

        assertThat(row.progressPercent).isEqualTo(60);
        assertThat(row.outputs.get(0).progress()).isEqualTo(60);
        assertThat(row.updatedAt).isEqualTo(t0.plusSeconds(3));
    }

    @Test
    void aTerminalStateIsFinal() {
        JobRow row = fold(requested, started(1, 1), completed(1, 5), progress(1, 6, 10, Map.of()), failed(1, 7),
                canceled(1, 8), started(2, 9));

        assertThat(row.status).isEqualTo("succeeded");
        assertThat(row.errorCode).isNull();
        assertThat(row.canceledAt).isNull();
        assertThat(row.progressPercent).isEqualTo(100);
        assertThat(row.finishedAt).isEqualTo(t0.plusSeconds(5));
    }

    @Test
    void eventsOfAnOlderAttemptAreIgnoredAndANewAttemptRestartsProgress() {
        JobRow row = fold(requested, started(1, 1), progress(1, 2, 80, Map.of("small", 80.0)), started(2, 3),
                progress(1, 4, 90, Map.of()), failed(1, 5));

        assertThat(row.attempt).isEqualTo(2);
        assertThat(row.progressPercent).isZero();
        assertThat(row.outputs.get(0).progress()).isZero();
        assertThat(row.status).isEqualTo("running");
        assertThat(row.startedAt).isEqualTo(t0.plusSeconds(1));
    }

    @Test
    void progressOfANewerAttemptStartsItEvenBeforeItsStarted() {
        JobRow row = fold(requested, started(1, 1), progress(1, 2, 80, Map.of()), progress(2, 4, 10, Map.of()),
                started(2, 3));

        assertThat(row.attempt).isEqualTo(2);
        assertThat(row.progressPercent).isEqualTo(10);
        assertThat(row.status).isEqualTo("running");
    }

    @Test
    void lifecycleEventsBeforeTheirRequestEndWhereTheOrderedFoldDoes() {
        JobEvent s = started(1, 1);
        JobEvent p = progress(1, 2, 50, Map.of("small", 40.0));
        JobEvent c = completed(1, 3);

        assertComparable(fold(requested, s, p, c), fold(s, p, c, requested));
        assertComparable(fold(requested, s, p), fold(s, p, requested));
        assertComparable(fold(requested, s, failed(1, 3)), fold(s, failed(1, 3), requested));
        assertComparable(fold(requested, canceled(0, 1)), fold(canceled(0, 1), requested));

        JobRow late = fold(s, p, requested);
        assertThat(late.createdAt).isEqualTo(t0);
        assertThat(late.outputs).extracting(OutputState::name, OutputState::status)
                .containsExactly(tuple("small", "running"), tuple("thumb", "running"));
    }

    @Test
    void aDuplicateRequestChangesNothing() {
        JobRow once = fold(requested, started(1, 1), completed(1, 2));
        JobRow twice = fold(requested, started(1, 1), completed(1, 2), requested);

        assertComparable(twice, once);
    }

    // --- retry ---

    @Test
    void retryReopensTheJobAndRequeuesOnlyTheListedOutputs() {
        JobFailed partial = new JobFailed(UUID.randomUUID(), jobId, "acme", 1, t0.plusSeconds(4), "invalid_output",
                "thumb failed", inputMedia, List.of(result("small", OutputType.VIDEO, "video.mp4")),
                List.of(new OutputFailure("thumb", OutputType.IMAGE, "invalid_output", "thumb failed")));

        JobRow row = fold(requested, started(1, 1), partial, retry(1, 10, "thumb"));

        assertThat(row.status).isEqualTo("queued");
        assertThat(row.errorCode).isNull();
        assertThat(row.errorMessage).isNull();
        assertThat(row.finishedAt).isNull();
        assertThat(row.startedAt).isNull();
        assertThat(row.progressPercent).isZero();
        assertThat(row.retriedAttempt).isEqualTo(1);
        assertThat(row.outputs.get(0).status()).isEqualTo("succeeded");
        assertThat(row.outputs.get(0).files()).hasSize(1);
        assertThat(row.outputs.get(1).status()).isEqualTo("queued");
        assertThat(row.outputs.get(1).error()).isNull();
        assertThat(row.outputs.get(1).files()).isEmpty();

        fold(row, started(2, 11), progress(2, 12, 50, Map.of("thumb", 50.0)));
        assertThat(row.status).isEqualTo("running");
        assertThat(row.outputs).extracting(OutputState::status).containsExactly("succeeded", "running");

        fold(row, new JobCompleted(UUID.randomUUID(), jobId, "acme", 2, t0.plusSeconds(13), null,
                List.of(result("thumb", OutputType.IMAGE, "image.jpg"))));
        assertThat(row.status).isEqualTo("succeeded");
        assertThat(row.attempt).isEqualTo(2);
        assertThat(row.outputs).extracting(OutputState::status).containsOnly("succeeded");
        assertThat(row.outputs.get(0).files()).extracting(OutputFile::path).containsExactly("video.mp4");
        assertThat(row.outputs.get(1).files()).extracting(OutputFile::path).containsExactly("image.jpg");
    }

    @Test
    void afterARetryEventsOfTheRetriedAttemptOrOlderAreStale() {
        JobRow row = fold(requested, started(1, 1), failed(1, 2), retry(1, 10, "small", "thumb"),
                progress(1, 11, 90, Map.of()), failed(1, 12), canceled(1, 3), started(1, 13));

        assertThat(row.status).isEqualTo("queued");
        assertThat(row.progressPercent).isZero();
        assertThat(row.errorCode).isNull();
        assertThat(row.outputs).extracting(OutputState::status).containsOnly("queued");
    }

    @Test
    void aCancelAfterTheRetryIsNotStaleWhateverItsAttempt() {
        JobRow row = fold(requested, started(1, 1), failed(1, 2), retry(1, 10, "small"), canceled(1, 11));

        assertThat(row.status).isEqualTo("canceled");
        assertThat(row.canceledAt).isEqualTo(t0.plusSeconds(11));
    }

    @Test
    void aRetryOfACanceledJobClearsTheCancel() {
        JobRow row = fold(requested, started(1, 1), canceled(1, 2), retry(1, 10, "small", "thumb"), started(2, 11));

        assertThat(row.status).isEqualTo("running");
        assertThat(row.canceledAt).isNull();
        assertThat(row.finishedAt).isNull();
        assertThat(row.startedAt).isEqualTo(t0.plusSeconds(11));
    }

    @Test
    void anOlderOrDuplicateRetryChangesNothing() {
        JobRow row = fold(requested, started(1, 1), failed(1, 2), retry(1, 10, "thumb"), started(2, 11),
                failed(2, 12), retry(1, 13, "small"));

        assertThat(row.status).isEqualTo("failed");
        assertThat(row.retriedOutputs).containsExactly("thumb");
    }

    @Test
    void aReplayThatReadsTheRetriesBeforeTheLifecycleEndsWhereTheLiveFoldDid() {
        // Requests and lifecycle are different topics: a replay from an empty database may read the whole request
        // topic first. The live fold saw each retry after the attempt it follows.
        JobFailed partial1 = new JobFailed(UUID.randomUUID(), jobId, "acme", 1, t0.plusSeconds(4), "invalid_output",
                "thumb failed", inputMedia, List.of(result("small", OutputType.VIDEO, "video.mp4")),
                List.of(new OutputFailure("thumb", OutputType.IMAGE, "invalid_output", "thumb failed")));
        JobEvent retry1 = retry(1, 10, "thumb");
        JobEvent started2 = started(2, 11);
        JobEvent failed2 = new JobFailed(UUID.randomUUID(), jobId, "acme", 2, t0.plusSeconds(12), "internal",
                "again", null, List.of(), List.of(new OutputFailure("thumb", OutputType.IMAGE, "internal", "again")));
        JobEvent retry2 = retry(2, 20, "thumb");
        JobEvent started3 = started(3, 21);
        JobEvent completed3 = new JobCompleted(UUID.randomUUID(), jobId, "acme", 3, t0.plusSeconds(22), null,
                List.of(result("thumb", OutputType.IMAGE, "image.jpg")));

        JobRow live = fold(requested, started(1, 1), partial1, retry1, started2, failed2, retry2, started3,
                completed3);
        JobRow requestsFirst = fold(requested, retry1, retry2, started(1, 1), partial1, started2, failed2, started3,
                completed3);

        assertThat(live.status).isEqualTo("succeeded");
        assertComparable(requestsFirst, live);
        assertThat(requestsFirst.outputs.get(0).files()).extracting(OutputFile::path).containsExactly("video.mp4");
    }

    // --- webhook notifications ---

    @Test
    void terminalEventsNotifyOnceAndProgressNotifiesEachMilestoneOncePerAttempt() {
        JobRow row = fold(requested);
        List<Folded> notes = new ArrayList<>();
        for (JobEvent e : List.of(started(1, 1), progress(1, 2, 10, Map.of()), progress(1, 3, 30, Map.of()),
                progress(1, 4, 20, Map.of()), progress(1, 5, 80, Map.of()), progress(1, 6, 90, Map.of()),
                started(2, 7), progress(2, 8, 26, Map.of()), completed(2, 9), failed(2, 10))) {
            notes.add(JobFold.apply(row, e));
        }

        assertThat(notes).extracting(Folded::kind, Folded::milestone).containsExactly(
                tuple(Folded.Notify.NONE, 0), tuple(Folded.Notify.NONE, 0), tuple(Folded.Notify.PROGRESS, 25),
                tuple(Folded.Notify.NONE, 0), tuple(Folded.Notify.PROGRESS, 75), tuple(Folded.Notify.NONE, 0),
                tuple(Folded.Notify.NONE, 0), tuple(Folded.Notify.PROGRESS, 25), tuple(Folded.Notify.TERMINAL, 0),
                tuple(Folded.Notify.NONE, 0));
    }

    @Test
    void aWebhookLearnedOfAfterTheTerminalEventHearsOfIt() {
        JobRow row = fold(started(1, 1), completed(1, 2));

        assertThat(JobFold.apply(row, requested).kind()).isEqualTo(Folded.Notify.EARLIER_TERMINAL);
        assertThat(JobFold.apply(row, requested).kind()).isEqualTo(Folded.Notify.NONE);
        assertThat(JobFold.apply(fold(requested), started(1, 1)).kind()).isEqualTo(Folded.Notify.NONE);
    }

    // --- coalescing: a batch folds only the progress events no later one supersedes ---

    @Test
    void skippingSupersededProgressEndsInTheSameRow() {
        java.util.Random random = new java.util.Random(42);
        int skipped = 0;
        for (int run = 0; run < 600; run++) {
            List<JobEvent> events = randomLife(random);
            JobRow all = JobFold.newRow(events.get(0));
            JobRow coalesced = JobFold.newRow(events.get(0));
            // A part of the life as rows earlier batches left, the rest as one batch.
            int batchStart = random.nextInt(events.size());
            for (int i = 0; i < batchStart; i++) {
                JobFold.apply(all, events.get(i));
                JobFold.apply(coalesced, events.get(i));
            }
            for (int i = batchStart; i < events.size(); i++) {
                JobEvent e = events.get(i);
                JobFold.apply(all, e);
                JobEvent next = i + 1 < events.size() ? events.get(i + 1) : null;
                if (e instanceof JobProgress p && next instanceof JobProgress q
                        && JobFold.supersedes(coalesced, q, p)) {
                    JobFold.touch(coalesced, e);
                    skipped++;
                } else {
                    JobFold.apply(coalesced, e);
                }
            }
            assertThat(coalesced).as("run %d: %s", run, events).usingRecursiveComparison().isEqualTo(all);
        }
        assertThat(skipped).as("progress events skipped").isGreaterThan(500);
    }

    @Test
    void progressAMilestoneWebhookHearsOfIsNeverSkipped() {
        JobRow row = fold(requested, started(1, 1));

        assertThat(JobFold.supersedes(row, progress(1, 3, 60, Map.of()), progress(1, 2, 30, Map.of()))).isFalse();
        row.webhookProgress = false;
        assertThat(JobFold.supersedes(row, progress(1, 3, 60, Map.of()), progress(1, 2, 30, Map.of()))).isTrue();
    }

    @Test
    void progressIsNotSupersededByLessOrByAnotherAttempt() {
        JobRow row = fold(started(1, 1));

        assertThat(JobFold.supersedes(row, progress(1, 3, 20, Map.of()), progress(1, 2, 30, Map.of()))).isFalse();
        assertThat(JobFold.supersedes(row, progress(2, 3, 60, Map.of()), progress(1, 2, 30, Map.of()))).isFalse();
        // An output the later one does not report, or reports lower, keeps the earlier one.
        assertThat(JobFold.supersedes(row, progress(1, 3, 60, Map.of("small", 50.0)),
                progress(1, 2, 30, Map.of("small", 40.0, "thumb", 10.0)))).isFalse();
        assertThat(JobFold.supersedes(row, progress(1, 3, 60, Map.of("small", 30.0)),
                progress(1, 2, 30, Map.of("small", 40.0)))).isFalse();
    }

    /** A job's events in an order Kafka may deliver them: attempts, progress up and (stale) down, ends, retries. */
    private List<JobEvent> randomLife(java.util.Random random) {
        List<JobEvent> events = new ArrayList<>();
        int n = 2 + random.nextInt(14);
        int attempt = 1;
        int level = 0;
        int clock = random.nextInt(5);
        while (events.size() < n) {
            int second = random.nextInt(20);
            int roll = random.nextInt(24);
            if (roll < 8) {
                // As a worker emits them: rising, every output reported, in time order.
                for (int burst = 1 + random.nextInt(5); burst > 0; burst--) {
                    level += random.nextInt(15);
                    clock += 1 + random.nextInt(2);
                    events.add(progress(attempt, clock, level, Map.of("small", (double) level, "thumb", level / 2.0)));
                }
            } else if (roll < 12) {
                Map<String, Double> outputs = new java.util.LinkedHashMap<>();
                for (String name : List.of("small", "thumb", "extra")) {
                    int pick = random.nextInt(4);
                    if (pick == 1) {
                        outputs.put(name, (double) random.nextInt(110));
                    } else if (pick == 2) {
                        outputs.put(name, null);
                    }
                }
                events.add(progress(attempt, second, random.nextInt(110) - 5, outputs));
            } else if (roll < 14 || roll > 20) {
                events.add(started(attempt, second));
            } else if (roll == 14) {
                attempt++;
                level = 0;
            } else if (roll == 15) {
                events.add(completed(attempt, second));
            } else if (roll == 16) {
                events.add(failed(attempt, second));
            } else if (roll == 17) {
                events.add(canceled(attempt, second));
            } else if (roll == 18) {
                level = 0;
                events.add(retry(attempt, second, random.nextBoolean() ? "small" : "thumb"));
                attempt++;
            } else {
                events.add(random.nextBoolean() ? requested : new JobRequested(UUID.randomUUID(), jobId, "acme", 0, t0,
                        "gpu", null, specs, Map.of(), null, null, null, false));
            }
        }
        return events;
    }

    // --- helpers ---

    /** Every column the read model compares (all but updated_at, which only orders). */
    private static void assertComparable(JobRow actual, JobRow expected) {
        assertThat(actual).usingRecursiveComparison().ignoringFields("updatedAt").isEqualTo(expected);
    }

    private static JobRow fold(JobRow row, JobEvent... events) {
        for (JobEvent event : events) {
            JobFold.apply(row, event);
        }
        return row;
    }

    private JobRow fold(JobEvent... events) {
        return fold(JobFold.newRow(events[0]), events);
    }

    private JobRequested retry(int attempt, int second, String... outputs) {
        List<OutputSpec> redo = specs.stream().filter(s -> List.of(outputs).contains(s.name())).toList();
        return new JobRequested(UUID.randomUUID(), jobId, "acme", attempt, t0.plusSeconds(second), "gpu",
                requested.input(), redo, Map.of("project", "x"), requested.webhook(), 600, requested.expiresAt(), true);
    }

    private JobStarted started(int attempt, int second) {
        return new JobStarted(UUID.randomUUID(), jobId, "acme", attempt, t0.plusSeconds(second), "w1");
    }

    private JobProgress progress(int attempt, int second, double percent, Map<String, Double> outputs) {
        return new JobProgress(UUID.randomUUID(), jobId, "acme", attempt, t0.plusSeconds(second), percent,
                "transcoding", 1, 30, 12.0, outputs);
    }

    private JobCompleted completed(int attempt, int second) {
        return new JobCompleted(UUID.randomUUID(), jobId, "acme", attempt, t0.plusSeconds(second), inputMedia,
                List.of(result("small", OutputType.VIDEO, "video.mp4"), result("thumb", OutputType.IMAGE, "image.jpg")));
    }

    private JobFailed failed(int attempt, int second) {
        return JobFailed.of(UUID.randomUUID(), jobId, "acme", attempt, t0.plusSeconds(second),
                FailureCode.UNSUPPORTED_MEDIA, "not media");
    }

    private JobCanceled canceled(int attempt, int second) {
        return new JobCanceled(UUID.randomUUID(), jobId, "acme", attempt, t0.plusSeconds(second));
    }

    private JobExpired expired(int second) {
        return new JobExpired(UUID.randomUUID(), jobId, "acme", 1, t0.plusSeconds(second));
    }

    private OutputResult result(String name, OutputType type, String path) {
        return new OutputResult(name, type, List.of(new OutputFile(path, "jobs/" + jobId + "/" + name + "/" + path,
                5, "application/octet-stream")), MediaInfo.summary("mp4", 1.0, 640, 360, null, null, null, null, null));
    }
}
