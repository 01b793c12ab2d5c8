package dev.framewright.transcoder.worker;

import dev.framewright.events.FailureCode;
import dev.framewright.events.JobCanceled;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobFailed;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.OutputFailure;
import dev.framewright.events.OutputManifest;
import dev.framewright.events.Topics;
import dev.framewright.events.rules.JobLimits;
import dev.framewright.events.rules.RequestRules;
import dev.framewright.transcoder.events.DeadLetters;
import dev.framewright.transcoder.events.LifecycleEmitter;
import dev.framewright.transcoder.oneshot.JobBudget;
import dev.framewright.transcoder.storage.ControlStore;
import dev.framewright.transcoder.storage.ControlStore.AttemptClaim;
import dev.framewright.transcoder.storage.ControlStore.Attempts;
import dev.framewright.events.control.CancelRequest;
import dev.framewright.transcoder.storage.MediaBucket;
import dev.framewright.transcoder.telemetry.Telemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The consumer-group member. For each {@link JobRequested} delivery it records an attempt in the job's
 * {@code _control/attempts} object, emits {@link JobStarted}, runs the job under a {@link Watchdog} (cancel, timeout,
 * stall, shutdown), retries transient failures with backoff as new attempts, and ends with exactly one terminal
 * event — or none, when the worker shuts down mid-job and leaves the request uncommitted for another member.
 *
 * <p>The record is acknowledged (its offset may be committed) only after the terminal event is durable. A worker
 * that dies mid-job leaves the attempt "unfinished"; after {@code max-attempts} such attempts in a row the job is
 * quarantined (JobFailed {@code quarantined} + dead letter) instead of crashing worker after worker.
 */
@ApplicationScoped
public class JobWorker {

    public static final String CHANNEL = "job-requests";

    private static final Logger LOG = Logger.getLogger(JobWorker.class);

    /** What to do with the delivery once handled. */
    public enum Delivery {
        /** Done (terminal event durable, or nothing to do): commit. */
        ACK,
        /** Not done and not ours any more (shutdown): leave it uncommitted, so the group redelivers it. */
        HOLD,
        /** Broke the rulebook: dead-lettered (and a JobFailed where addressable), never run. Commit. */
        REFUSED
    }

    /** The result of one attempt. */
    sealed interface AttemptResult {
        record Succeeded(JobRunner.Outcome outcome) implements AttemptResult {
        }

        record Failed(FailureCode code, String message, JobRunner.Outcome partial) implements AttemptResult {
        }

        record Canceled() implements AttemptResult {
        }

        record Released() implements AttemptResult {
        }
    }

    /** A delivery being handled, for shutdown to find and stop. */
    private static final class Running {
        final Thread thread = Thread.currentThread();
        volatile Watchdog watchdog;
        volatile boolean released;
        /** In a backoff or admission wait, where an interrupt cannot cut a durable send short. */
        volatile boolean waiting;
        /** Identifies this delivery in the claims it makes. */
        final String delivery = UUID.randomUUID().toString();

        void sleep(long ms) throws InterruptedException {
            waiting = true;
            try {
                Thread.sleep(ms);
            } finally {
                waiting = false;
            }
        }
    }

    private final JobRunner runner;
    private final LifecycleEmitter emitter;
    private final DeadLetters deadLetters;
    private final ControlStore control;
    private final MediaBucket bucket;
    private final TranscoderConfig config;
    private final KafkaClientService kafka;
    private final JobMetrics metrics;
    private final Tracer tracer;
    private final JobBudget budget;
    private final String workerId;
    private final RetryPolicy retry;
    private final ScheduledExecutorService scheduler;
    /** Store and broker calls of a delivery that run alongside each other (see {@link #async}). */
    private final ExecutorService bookkeeping;
    private final Map<UUID, Running> running = new ConcurrentHashMap<>();
    /** This process's start: a claim of {@link #workerId} from another incarnation was left by a previous life. */
    private final String incarnation = UUID.randomUUID().toString();
    /** The deliveries of this process in flight: a claim of this incarnation is alive only while its is here. */
    private final Set<String> liveDeliveries = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    public JobWorker(JobRunner runner, LifecycleEmitter emitter, DeadLetters deadLetters, ControlStore control,
            MediaBucket bucket, TranscoderConfig config, KafkaClientService kafka, JobMetrics metrics, Tracer tracer,
            JobBudget budget) {
        this.runner = runner;
        this.emitter = emitter;
        this.deadLetters = deadLetters;
        this.control = control;
        this.bucket = bucket;
        this.config = config;
        this.kafka = kafka;
        this.metrics = metrics;
        this.tracer = tracer;
        this.budget = budget;
        this.workerId = config.workerId().or(config::instanceId)
                .orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName());
        this.retry = new RetryPolicy(config.maxAttempts(), config.retryBackoff(), config.retryBackoffMax());
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "job-watchdog");
            t.setDaemon(true);
            return t;
        });
        this.bookkeeping = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "job-bookkeeping");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs on the bounded "transcode" pool: {@code framewright.transcoder.parallelism} jobs at once. */
    @Incoming(CHANNEL)
    @Blocking(value = "transcode", ordered = false)
    public CompletionStage<Void> process(Message<JobEvent> message) {
        if (!(message.getPayload() instanceof JobRequested job)) {
            // Not a job request: an undecodable record (null) or an event type this worker does not act on.
            LOG.warnf("Skipped a record on %s that is not a JobRequested", CHANNEL);
            return message.ack();
        }
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        // The job's span continues the trace the request's traceparent header carried (the connector's receive span).
        Context received = TracingMetadata.fromMessage(message).map(TracingMetadata::getCurrentContext)
                .orElse(Context.current());
        if (!budget.take()) {
            return new CompletableFuture<>(); // this process has taken its share (max-jobs): another member runs it
        }
        Delivery delivery = deliver(job, meta, received);
        if (delivery != Delivery.HOLD) {
            return message.ack().thenRun(() -> budget.handled(delivery));
        }
        budget.handled(delivery);
        // Never acknowledged: the throttled commit strategy commits no offset at or past this record, so after this
        // instance leaves the group another member gets the request again.
        return new CompletableFuture<>();
    }

    /**
     * One request, as a delivery of the group or a one-shot work item ({@code meta} null) brings it: the rulebook,
     * then {@link #handle} under the job's span. HOLD when it could not be concluded (shutdown, store or broker down).
     */
    public Delivery deliver(JobRequested job, IncomingKafkaRecordMetadata<?, ?> meta, Context received) {
        // Kafka is a trust boundary: before anything is read for it, the request passes the contract's rulebook.
        Optional<RequestRules.Rejection> rejection = RequestRules.check(job);
        if (rejection.isPresent()) {
            try {
                reject(job, meta, rejection.get());
            } catch (RuntimeException e) {
                LOG.errorf(e, "A refused request could not be dead-lettered; it stays uncommitted");
                return Delivery.HOLD;
            }
            return Delivery.REFUSED;
        }
        // Events emitted while the job's span is current carry its trace on. Every log line about the job has its id
        // (MDC job_id).
        Span span = tracer.spanBuilder("transcode job").setParent(received).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(Telemetry.JOB_ID, job.jobId().toString()).startSpan();
        MDC.put("job_id", job.jobId().toString());
        try (Scope ignored = span.makeCurrent()) {
            return handle(job, meta);
        } catch (RuntimeException e) {
            // Bookkeeping itself failed past its retries (store or broker down): let the group redeliver it.
            LOG.errorf(e, "Job %s could not be handled; its request stays uncommitted", job.jobId());
            span.setStatus(StatusCode.ERROR, e.toString());
            return Delivery.HOLD;
        } finally {
            MDC.remove("job_id");
            span.end();
        }
    }

    Delivery handle(JobRequested job, IncomingKafkaRecordMetadata<?, ?> meta) {
        if (draining) {
            return Delivery.HOLD;
        }
        Running self = new Running();
        running.put(job.jobId(), self);
        liveDeliveries.add(self.delivery);
        metrics.taken();
        try {
            return handle(job, meta, self);
        } catch (InterruptedException e) {
            Thread.interrupted();
            return Delivery.HOLD; // only shutdown interrupts a delivery outside an attempt
        } finally {
            metrics.released();
            liveDeliveries.remove(self.delivery);
            running.remove(job.jobId(), self);
            Thread.interrupted();
        }
    }

    private Delivery handle(JobRequested job, IncomingKafkaRecordMetadata<?, ?> meta, Running self)
            throws InterruptedException {
        // The cancel marker is read alongside the attempts (one round trip instead of two); it is only a read, so
        // reading it for a request that turns out to be answered already costs nothing but the request.
        CompletableFuture<Optional<CancelRequest>> cancelRead = async(
                () -> withRetries("read the cancel request", () -> control.cancel(job)));
        CompletableFuture<Optional<JobEvent>> answerRead = async(
                () -> withRetries("read the answer claim", () -> control.answer(job.jobId(), job.attempt())));
        Attempts known = withRetries("read attempts", () -> control.attempts(job.jobId()));
        Optional<JobEvent> pending = known.pendingTerminal() == null ? Optional.empty()
                : known.pendingTerminal().event();
        if (pending.isPresent()) {
            // The last worker died around publishing this terminal event: publish the same event (same id) again
            // rather than run the job once more; consumers drop the duplicate by its id.
            LOG.infof("Job %s: publishing the terminal event of attempt %d its worker left pending", job.jobId(),
                    pending.get().attempt());
            publish(job, known, pending.get());
            return Delivery.ACK;
        }
        if (known.concluded(job.attempt())) {
            // Answered already: the worker that emitted the terminal event died before its offset was committed.
            LOG.infof("Job %s was already concluded by attempt %d; redelivery skipped", job.jobId(),
                    known.concludedAttempt());
            return Delivery.ACK;
        }
        Optional<JobEvent> answered = joined(answerRead);
        if (answered.isPresent()) {
            // Another delivery of this request claimed its answer and was not seen to conclude (it died, or is
            // publishing right now): the same event (same id) again, never a second run.
            LOG.infof("Job %s: publishing the answer another delivery claimed for attempt %d", job.jobId(),
                    answered.get().attempt());
            publish(job, known, answered.get());
            return Delivery.ACK;
        }
        Optional<CancelRequest> cancel = joined(cancelRead);
        if (cancel.isPresent()) {
            if (!cancel.get().terminalEmitted()) {
                // Nothing wrote the attempts since the read above: this delivery is their only writer.
                cleanUp(job);
                int attempt = known.next(job.attempt());
                conclude(job, known, new JobCanceled(UUID.randomUUID(), job.jobId(), job.tenant(), attempt,
                        Instant.now()));
                metrics.canceled(job);
            }
            LOG.infof("Job %s was canceled before it started", job.jobId());
            return Delivery.ACK;
        }
        if (job.startDeadlinePassed(Instant.now())) {
            // start_within_seconds: nobody waits for this answer any more. Failed unstarted: no attempt, nothing read.
            String message = "No worker started the job before its start deadline " + job.startDeadline();
            conclude(job, known, JobFailed.of(UUID.randomUUID(), job.jobId(), job.tenant(), known.next(job.attempt()),
                    Instant.now(), FailureCode.START_DEADLINE_EXCEEDED, message));
            metrics.failed(job, FailureCode.START_DEADLINE_EXCEEDED, List.of(), List.of(), Duration.ZERO);
            LOG.infof("Job %s: %s", job.jobId(), message);
            return Delivery.ACK;
        }
        DiskWait disk = awaitDisk(job, self);
        if (disk == DiskWait.RELEASED) {
            return Delivery.HOLD;
        }

        int attemptsThisDelivery = 0;
        // Reused unless time passed: after a wait for disk, or between attempts, read what is stored now.
        Attempts before = disk == DiskWait.READY ? known : null;
        while (true) {
            if (before == null) {
                before = withRetries("read attempts", () -> control.attempts(job.jobId()));
            }
            if (before.quarantined(config.maxAttempts())) {
                String message = before.unfinished() + " attempts in a row ended without a result (last on "
                        + before.lastWorker() + "); the job was set aside";
                LOG.warnf("Job %s quarantined: %s", job.jobId(), message);
                int attempt = Math.max(1, before.attempts());
                metrics.quarantined();
                metrics.failed(job, FailureCode.QUARANTINED, List.of(), List.of(), Duration.ZERO);
                deadLetter(job, meta, FailureCode.QUARANTINED, message, before.attempts());
                conclude(job, before, JobFailed.of(UUID.randomUUID(), job.jobId(), job.tenant(), attempt,
                        Instant.now(), FailureCode.QUARANTINED, message));
                return Delivery.ACK;
            }
            AttemptClaim claim = claimNext(job, before, self);
            if (claim == null) {
                Delivery elsewhere = awaitOtherDelivery(job, self);
                if (elsewhere != null) {
                    return elsewhere;
                }
                before = null; // the other delivery died: decide again on what is stored now
                continue;
            }
            int attempt = claim.attempt();
            Instant startedAt = Instant.now();
            Attempts started = before.started(attempt, workerId, startedAt);
            Attempts unstarted = before;
            before = null;
            attemptsThisDelivery++;
            // JobStarted goes out while the attempt is written; both must be done before the media is opened
            // (JobRunner waits for them after the download) and before anything else writes the attempts. Crash
            // windows (RELIABILITY.md, "Delivery"):
            // - written, JobStarted not out: as before, the number is used and counts as unfinished;
            // - JobStarted out, not written: no media was opened, so nothing the job did is left uncounted; the
            //   redelivery takes the same number again and publishes JobStarted with the same id (derived from job
            //   and attempt), which consumers drop as a duplicate, as they do a republished terminal event.
            // JobStarted is handed to the producer on this thread, so it stays ahead of the attempt's progress.
            JobStarted announcement = new JobStarted(startedEventId(job.jobId(), attempt), job.jobId(), job.tenant(),
                    attempt, startedAt, workerId);
            Supplier<Void> republish = inJobContext(() -> {
                emitDurably(announcement); // same id: a first send that did land only makes a duplicate
                return null;
            });
            CompletableFuture<Void> announced = emitter.emitDurablyAsync(announcement)
                    .exceptionallyCompose(e -> CompletableFuture.supplyAsync(republish, bookkeeping));
            CompletableFuture<Void> written = async(() -> withRetries("record the attempt", () -> {
                control.writeAttempts(job.jobId(), started);
                return null;
            }));
            CompletableFuture<Void> recorded = CompletableFuture.allOf(written, announced);
            metrics.attemptStarted(job, startedAt, attemptsThisDelivery == 1);

            long beat = Math.max(100, config.attemptLease().toMillis() / 3);
            Runnable refresh = () -> {
                try {
                    control.refresh(job.jobId(), claim.beat(Instant.now()));
                } catch (RuntimeException e) {
                    LOG.warnf("Job %s: could not refresh the claim of attempt %d: %s", job.jobId(), attempt, e);
                }
            };
            ScheduledFuture<?> heartbeat = scheduler.scheduleWithFixedDelay(refresh, beat, beat,
                    TimeUnit.MILLISECONDS);
            AttemptResult result;
            try {
                result = runAttempt(job, attempt, self, recorded);
            } finally {
                heartbeat.cancel(false);
            }
            // An attempt that ended early (input missing, canceled while downloading) still waits for its record:
            // every later write of the attempts builds on it. Failed past retries: leave the request uncommitted.
            joined(recorded);
            Duration took = Duration.between(startedAt, Instant.now());
            if (result instanceof AttemptResult.Released) {
                try {
                    control.refresh(job.jobId(), claim.beat(null)); // not alive: the next delivery need not wait
                } catch (RuntimeException e) {
                    LOG.warnf("Job %s: could not release the claim of attempt %d: %s", job.jobId(), attempt, e);
                }
                withRetries("release the attempt", () -> {
                    control.writeAttempts(job.jobId(), started.released(unstarted));
                    return null;
                });
                LOG.infof("Job %s attempt %d released on shutdown; another worker takes it", job.jobId(), attempt);
                return Delivery.HOLD;
            }
            if (result instanceof AttemptResult.Failed f && retry.retryAfter(f.code(), attemptsThisDelivery)) {
                markEnded(job, started);
                metrics.retried(f.code());
                Duration wait = retry.backoff(attemptsThisDelivery);
                LOG.warnf("Job %s attempt %d failed (%s: %s); attempt %d in %d ms", job.jobId(), attempt,
                        f.code().wireName(), f.message(), attempt + 1, wait.toMillis());
                self.sleep(wait.toMillis());
                if (self.released || draining) {
                    return Delivery.HOLD;
                }
                continue;
            }
            finish(job, meta, attempt, started, result, took);
            return Delivery.ACK;
        }
    }

    private void finish(JobRequested job, IncomingKafkaRecordMetadata<?, ?> meta, int attempt, Attempts started,
            AttemptResult result, Duration took) {
        Runnable count; // metrics after the attempt is recorded as ended, so nothing durable waits on them
        if (result instanceof AttemptResult.Succeeded s) {
            conclude(job, started, new JobCompleted(UUID.randomUUID(), job.jobId(), job.tenant(), attempt,
                    Instant.now(), s.outcome().input(), s.outcome().outputs()));
            count = () -> metrics.succeeded(job, s.outcome().outputs(), took);
            LOG.infof("Job %s attempt %d completed", job.jobId(), attempt);
        } else if (result instanceof AttemptResult.Canceled) {
            cleanUp(job);
            boolean emitted = withRetries("read the cancel request", () -> control.cancel(job))
                    .map(CancelRequest::terminalEmitted).orElse(false);
            if (emitted) {
                markConcluded(job, started, attempt); // job-api published the JobCanceled
            } else {
                conclude(job, started, new JobCanceled(UUID.randomUUID(), job.jobId(), job.tenant(), attempt,
                        Instant.now()));
            }
            count = () -> metrics.canceled(job);
            LOG.infof("Job %s attempt %d canceled", job.jobId(), attempt);
        } else if (result instanceof AttemptResult.Failed f) {
            JobRunner.Outcome partial = f.partial();
            count = () -> metrics.failed(job, f.code(), partial == null ? List.of() : partial.outputs(),
                    partial == null ? List.of() : partial.failed(), took);
            if (RetryPolicy.retryable(f.code())) {
                // Transient, and the last attempt: operators can redrive it once the cause is fixed.
                deadLetter(job, meta, f.code(), f.message(), attempt);
            }
            conclude(job, started, new JobFailed(UUID.randomUUID(), job.jobId(), job.tenant(), attempt, Instant.now(),
                    f.code().wireName(), f.message(), partial == null ? null : partial.input(),
                    partial == null ? List.of() : partial.outputs(),
                    partial == null ? List.of() : partial.failed()));
            LOG.infof("Job %s attempt %d failed: %s (%s)", job.jobId(), attempt, f.code().wireName(), f.message());
        } else {
            throw new IllegalStateException("Released attempts are handled by the caller");
        }
        count.run();
    }

    /**
     * Publishes the request's terminal event: claimed as the request's one answer (a racing delivery that lost
     * publishes the winner's event instead, same id), recorded as pending (a worker dying around the send leaves it
     * for the next delivery to publish again), then marked concluded. An event over the contract's size bound is
     * replaced by a small {@code JobFailed output_too_large} before anything is recorded.
     */
    private void conclude(JobRequested job, Attempts base, JobEvent terminal) {
        JobEvent answer = bounded(terminal);
        boolean ours = withRetries("claim the answer", () -> control.claimAnswer(job.jobId(), job.attempt(), answer));
        if (!ours) {
            Optional<JobEvent> theirs = withRetries("read the answer claim",
                    () -> control.answer(job.jobId(), job.attempt()));
            if (theirs.isPresent() && !theirs.get().eventId().equals(answer.eventId())) {
                LOG.warnf("Job %s: another delivery answered this request (attempt %d); its %s is published, not ours",
                        job.jobId(), theirs.get().attempt(), theirs.get().type());
                publish(job, base, theirs.get());
                return;
            }
        }
        publish(job, base, answer);
    }

    /** Too large to publish by the contract's bound: the small JobFailed that takes its place. */
    private static JobEvent bounded(JobEvent terminal) {
        int bytes = JobEventJson.size(terminal);
        if (bytes <= OutputManifest.MAX_EVENT_BYTES) {
            return terminal;
        }
        LOG.errorf("Job %s: its %s would take %d bytes, over the bound of %d; failing it as output_too_large",
                terminal.jobId(), terminal.type(), bytes, OutputManifest.MAX_EVENT_BYTES);
        return JobFailed.of(UUID.randomUUID(), terminal.jobId(), terminal.tenant(), terminal.attempt(), Instant.now(),
                FailureCode.OUTPUT_TOO_LARGE, "The job's result takes " + bytes + " bytes, more than an event may ("
                        + OutputManifest.MAX_EVENT_BYTES + "); it was not recorded");
    }

    /**
     * Records {@code terminal} as pending, publishes it and marks the attempt concluded. When the broker refuses it
     * for good (too large for its {@code max.request.size}, say), a small {@code JobFailed} takes its place, so the
     * request is answered and acknowledged: nothing a job produces may hold its partition. A broker that cannot be
     * reached is not that: it keeps the retries, then the hold.
     */
    private void publish(JobRequested job, Attempts base, JobEvent terminal) {
        Attempts concluding = base.concluding(terminal);
        withRetries("record the terminal event", () -> {
            control.writeAttempts(job.jobId(), concluding);
            return null;
        });
        try {
            emitDurably(terminal);
        } catch (LifecycleEmitter.Unpublishable e) {
            FailureCode code = e.tooLarge() ? FailureCode.OUTPUT_TOO_LARGE : FailureCode.INTERNAL;
            LOG.errorf(e, "Job %s: its %s cannot be published; failing it as %s", job.jobId(), terminal.type(),
                    code.wireName());
            JobFailed replacement = JobFailed.of(UUID.randomUUID(), job.jobId(), job.tenant(), terminal.attempt(),
                    Instant.now(), code, e.tooLarge()
                            ? "The job's result is larger than the event bus accepts; it was not recorded"
                            : "The job's result could not be published; the error was logged");
            withRetries("replace the answer", () -> {
                control.replaceAnswer(job.jobId(), job.attempt(), replacement);
                return null;
            });
            metrics.failed(job, code, List.of(), List.of(), Duration.ZERO);
            publish(job, base, replacement);
            return;
        }
        markConcluded(job, concluding, terminal.attempt());
    }

    /**
     * Claims the next attempt number for this delivery, or null when another delivery of the request is running it:
     * the last attempt is unfinished and its claim is alive, or the number was just claimed by a live one. Numbers
     * whose claims are dead (their worker died after claiming, before recording the attempt) are skipped.
     */
    private AttemptClaim claimNext(JobRequested job, Attempts before, Running self) {
        if (before.unfinished() > 0 && before.attempts() > 0 && claimAlive(job, before.attempts(), self)) {
            return null;
        }
        for (int n = before.next(job.attempt()); ; n++) {
            AttemptClaim mine = new AttemptClaim(n, workerId, incarnation, self.delivery, Instant.now());
            if (withRetries("claim attempt " + n, () -> control.claimAttempt(job.jobId(), mine))) {
                return mine;
            }
            int number = n;
            Optional<AttemptClaim> other = withRetries("read the claim of attempt " + n,
                    () -> control.attemptClaim(job.jobId(), number));
            if (other.isPresent() && other.get().delivery().equals(self.delivery)) {
                return other.get(); // an earlier try of ours landed
            }
            if (other.isEmpty() || alive(other.get())) {
                LOG.infof("Job %s: attempt %d is claimed by %s; this delivery waits for its answer", job.jobId(), n,
                        other.map(AttemptClaim::worker).orElse("another delivery"));
                return null;
            }
            LOG.infof("Job %s: attempt %d was claimed by %s, which is gone; taking the next number", job.jobId(), n,
                    other.get().worker());
        }
    }

    private boolean claimAlive(JobRequested job, int attempt, Running self) {
        Optional<AttemptClaim> claim = withRetries("read the claim of attempt " + attempt,
                () -> control.attemptClaim(job.jobId(), attempt));
        return claim.isPresent() && !claim.get().delivery().equals(self.delivery) && alive(claim.get());
    }

    /**
     * A claim of this process is alive while its delivery is; one of this worker id from another incarnation was left
     * by a previous life (ids are unique among live members); any other while its heartbeat is younger than the lease
     * (the workers' clocks are assumed to agree within a fraction of it).
     */
    private boolean alive(AttemptClaim claim) {
        if (workerId.equals(claim.worker())) {
            return incarnation.equals(claim.incarnation()) && liveDeliveries.contains(claim.delivery());
        }
        return claim.heartbeat() != null
                && claim.heartbeat().plus(config.attemptLease()).isAfter(Instant.now());
    }

    /**
     * Another delivery runs this request: wait for its answer rather than run the job a second time. ACK once the
     * request is concluded; HOLD on shutdown; null when the other delivery is gone without an answer (decide again).
     */
    private Delivery awaitOtherDelivery(JobRequested job, Running self) throws InterruptedException {
        long poll = Math.max(100, Math.min(1000, config.attemptLease().toMillis() / 6));
        while (true) {
            if (self.released || draining) {
                return Delivery.HOLD;
            }
            self.sleep(poll);
            Attempts now = withRetries("read attempts", () -> control.attempts(job.jobId()));
            if (now.concluded(job.attempt())) {
                LOG.infof("Job %s was concluded by attempt %d of another delivery", job.jobId(),
                        now.concludedAttempt());
                return Delivery.ACK;
            }
            if (now.attempts() > 0 && claimAlive(job, now.attempts(), self)) {
                continue;
            }
            Optional<JobEvent> answer = withRetries("read the answer claim",
                    () -> control.answer(job.jobId(), job.attempt()));
            if (answer.isPresent()) {
                LOG.infof("Job %s: the other delivery left its answer unpublished; publishing it", job.jobId());
                publish(job, now, answer.get());
                return Delivery.ACK;
            }
            return null;
        }
    }

    /**
     * A request that breaks the rulebook or names another tenant's object: a dead letter with the reason and, when
     * the job can be addressed, a small JobFailed (its id derived from the job and attempt, so a redelivery sends a
     * duplicate consumers drop). Nothing is downloaded, no attempt is counted.
     */
    public void reject(JobRequested job, IncomingKafkaRecordMetadata<?, ?> meta, RequestRules.Rejection rejection) {
        String message = rejection.message();
        LOG.warnf("Refused a request on %s for job %s: %s", meta == null ? CHANNEL : meta.getTopic(), job.jobId(),
                message);
        metrics.deadLettered(rejection.code());
        // A dead letter is a JobEvent on the wire: one without an id or time gets them, the rest stays as it came.
        JobRequested letter = job.eventId() != null && job.time() != null ? job
                : new JobRequested(job.eventId() != null ? job.eventId() : UUID.randomUUID(), job.jobId(), job.tenant(),
                        job.attempt(), job.time() != null ? job.time() : Instant.now(), job.queue(), job.input(),
                        job.outputs(), job.labels(), job.webhook(), job.maxDurationSeconds(), job.expiresAt(),
                        job.retry());
        withRetries("publish the dead letter", () -> {
            deadLetters.publish(letter, meta, rejection.reason(), message, 0, workerId,
                    Topics.requests(Topics.DEFAULT_QUEUE));
            return null;
        });
        if (rejection.addressable(job)) {
            int attempt = Math.max(1, job.attempt() + 1);
            UUID eventId = UUID.nameUUIDFromBytes(("framewright/JobRefused/" + job.jobId() + "/" + attempt)
                    .getBytes(StandardCharsets.UTF_8));
            emitDurably(JobFailed.of(eventId, job.jobId(), job.tenant(), attempt, Instant.now(), rejection.code(),
                    message));
        }
    }

    AttemptResult runAttempt(JobRequested job, int attempt, Running self, CompletableFuture<?> recorded) {
        // The request may only lower the operator's maximum (the setting job-api checks too), never lift it.
        Duration maxDuration = JobLimits.maxDuration(job.maxDurationSeconds(), config.maxJobDuration());
        Duration cancelEvery = config.cancelPollInterval().compareTo(Duration.ofSeconds(2)) > 0
                ? Duration.ofSeconds(2) : config.cancelPollInterval();
        Watchdog watchdog = new Watchdog(System::nanoTime, maxDuration, config.stallTimeout(), cancelEvery,
                () -> control.cancel(job).isPresent(), Thread.currentThread());
        self.watchdog = watchdog;
        if (self.released) {
            watchdog.abort(Watchdog.Verdict.SHUTDOWN);
        }
        ScheduledFuture<?> ticks = scheduler.scheduleWithFixedDelay(() -> {
            try {
                watchdog.tick();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Watchdog of job %s", job.jobId());
            }
        }, 250, 250, TimeUnit.MILLISECONDS);
        // Progress is emitted from the pipeline's threads too: they carry the job's trace and count as liveness.
        Context trace = Context.current();
        ProgressReporter progress = new ProgressReporter(event -> {
            metrics.progressed(job.jobId());
            try (Scope ignored = trace.makeCurrent()) {
                emitter.emit(event);
            }
        }, job, attempt, config.progressInterval(), System::nanoTime, null);
        try {
            JobRunner.Outcome outcome = runner.run(job, watchdog, progress, recorded);
            Watchdog.Verdict verdict = watchdog.close();
            Thread.interrupted();
            if (verdict != Watchdog.Verdict.NONE) {
                metrics.stopped(verdict);
                return stopped(verdict, maxDuration);
            }
            if (!outcome.failed().isEmpty()) {
                OutputFailure first = outcome.failed().get(0);
                return new AttemptResult.Failed(codeOf(first.code()),
                        outcome.failed().size() + " of " + job.outputs().size() + " outputs failed; first: "
                                + first.name() + ": " + first.message(), outcome);
            }
            return new AttemptResult.Succeeded(outcome);
        } catch (Throwable t) {
            Watchdog.Verdict verdict = watchdog.close();
            Thread.interrupted();
            if (t instanceof JobRunner.AttemptNotRecorded notRecorded) {
                throw notRecorded; // bookkeeping, not the job: the delivery is held, no attempt result
            }
            if (verdict != Watchdog.Verdict.NONE) {
                metrics.stopped(verdict);
                return stopped(verdict, maxDuration);
            }
            if (t instanceof Error e && !(t instanceof StackOverflowError)) {
                throw e;
            }
            FailureCode code = RetryPolicy.classify(t);
            if (code == FailureCode.INTERNAL) {
                LOG.errorf(t, "Job %s attempt %d failed unexpectedly", job.jobId(), attempt);
                return new AttemptResult.Failed(code, "The transcoder failed; the error was logged", null);
            }
            return new AttemptResult.Failed(code, t.getMessage(), null);
        } finally {
            metrics.attemptEnded(job.jobId());
            ticks.cancel(false);
            Thread.interrupted();
        }
    }

    private static FailureCode codeOf(String wireName) {
        for (FailureCode c : FailureCode.values()) {
            if (c.wireName().equals(wireName)) {
                return c;
            }
        }
        return FailureCode.INTERNAL;
    }

    private static AttemptResult stopped(Watchdog.Verdict verdict, Duration maxDuration) {
        return switch (verdict) {
            case CANCELED -> new AttemptResult.Canceled();
            case SHUTDOWN -> new AttemptResult.Released();
            case TIMEOUT -> new AttemptResult.Failed(FailureCode.TIMEOUT,
                    "The attempt ran longer than its maximum of " + maxDuration.toSeconds() + " s", null);
            case STALLED -> new AttemptResult.Failed(FailureCode.STALLED,
                    "The pipeline made no progress through the media for a while and was aborted", null);
            case NONE -> throw new IllegalArgumentException();
        };
    }

    enum DiskWait {
        READY, WAITED, RELEASED
    }

    /** Waits, without acknowledging, until the scratch disk can hold the job; RELEASED: shutting down meanwhile. */
    private DiskWait awaitDisk(JobRequested job, Running self) throws InterruptedException {
        long wait = 1000;
        boolean waited = false;
        while (true) {
            Admission.Check check = runner.admission().disk(job.input().size());
            if (check.fits() || !check.everFits()) {
                // A job that can never fit runs anyway and fails on its own (limits or a full disk), rather than
                // blocking the partition forever.
                return waited ? DiskWait.WAITED : DiskWait.READY;
            }
            if (self.released || draining) {
                return DiskWait.RELEASED;
            }
            waited = true;
            LOG.infof("Job %s waits for %s; next look in %d ms", job.jobId(), check.describe(), wait);
            self.sleep(wait);
            wait = Math.min(wait * 2, config.admission().maxWait().toMillis());
        }
    }

    /** After the terminal event: a redelivery of this request is recognised as answered. */
    private void markConcluded(JobRequested job, Attempts before, int attempt) {
        try {
            withRetries("conclude the attempt", () -> {
                control.writeAttempts(job.jobId(), before.concludedBy(attempt));
                return null;
            });
        } catch (RuntimeException e) {
            // The terminal event is out; a redelivery would run the job once more, and the fold ignores its events.
            LOG.warnf(e, "Job %s: could not record the conclusion of attempt %d", job.jobId(), attempt);
        }
    }

    private void markEnded(JobRequested job, Attempts started) {
        try {
            withRetries("end the attempt", () -> {
                control.writeAttempts(job.jobId(), started.ended());
                return null;
            });
        } catch (RuntimeException e) {
            // The terminal event is out; a stale "unfinished" only counts toward quarantine of a finished job.
            LOG.warnf(e, "Job %s: could not record the end of the attempt", job.jobId());
        }
    }

    private void cleanUp(JobRequested job) {
        try {
            int n = withRetries("delete outputs", () -> bucket.deleteOutputs(job.jobId()));
            LOG.infof("Job %s: deleted %d output objects", job.jobId(), n);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Job %s: could not delete its outputs", job.jobId());
        }
    }

    /**
     * JobStarted's id is derived from the job and the attempt number: if a worker dies after publishing it but before
     * the attempt is recorded, the redelivery starts the same attempt number and publishes the same id.
     */
    static UUID startedEventId(UUID jobId, int attempt) {
        return UUID.nameUUIDFromBytes(("framewright/JobStarted/" + jobId + "/" + attempt)
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs a bookkeeping call on the bookkeeping pool, with the job's trace and log context, so that independent
     * round trips to the store overlap.
     */
    private <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(inJobContext(call), bookkeeping);
    }

    /** {@code call} with the trace and log context of the calling thread, wherever it runs. */
    private static <T> Supplier<T> inJobContext(Supplier<T> call) {
        Context trace = Context.current();
        Object jobId = MDC.get("job_id");
        return () -> {
            if (jobId != null) {
                MDC.put("job_id", jobId);
            }
            try (Scope ignored = trace.makeCurrent()) {
                return call.get();
            } finally {
                MDC.remove("job_id");
            }
        };
    }

    /** The result of a bookkeeping call, waited for without giving up on an interrupt; its failure, unwrapped. */
    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** A lifecycle event that must be durable before we go on (started, terminal). */
    private void emitDurably(JobEvent event) {
        withRetries("publish " + event.type(), () -> {
            emitter.emitDurably(event);
            return null;
        });
    }

    private void deadLetter(JobRequested job, IncomingKafkaRecordMetadata<?, ?> meta, FailureCode code,
            String message, int attempts) {
        metrics.deadLettered(code);
        withRetries("publish the dead letter", () -> {
            deadLetters.publish(job, meta, code.wireName(), message, attempts, workerId,
                    Topics.requests(job.queue() == null ? Topics.DEFAULT_QUEUE : job.queue()));
            return null;
        });
    }

    /**
     * Runs a bookkeeping call (store or broker) with exponential backoff; each failure is logged. Thrown after the
     * last try, which leaves the request uncommitted.
     */
    private <T> T withRetries(String what, Supplier<T> call) {
        RuntimeException last = null;
        for (int i = 1; i <= Math.max(3, config.maxAttempts()); i++) {
            try {
                return call.get();
            } catch (LifecycleEmitter.Unpublishable e) {
                throw e; // sending it again cannot help
            } catch (RuntimeException e) {
                last = e;
                LOG.warnf("Could not %s (try %d): %s", what, i, e.toString());
                try {
                    Thread.sleep(retry.backoff(i).toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last;
    }

    /**
     * SIGTERM: take no new work, give running jobs {@code shutdown-grace} to finish, then abort them without a
     * terminal event and without committing their requests, so another worker runs them. Observed early (low
     * priority value), before the messaging connectors are stopped.
     */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        draining = true;
        try {
            kafka.getConsumer(CHANNEL).pause().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf(e, "Could not pause the consumer");
        }
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            sleepQuietly(100);
        }
        for (Map.Entry<UUID, Running> e : running.entrySet()) {
            LOG.warnf("Shutting down: job %s did not finish within %s; releasing it to another worker", e.getKey(),
                    config.shutdownGrace());
            Running r = e.getValue();
            r.released = true;
            Watchdog w = r.watchdog;
            boolean aborted = w != null && w.abort(Watchdog.Verdict.SHUTDOWN);
            if (!aborted && r.waiting) {
                r.thread.interrupt();
            }
            // Otherwise it is between attempts or publishing a terminal event: it ends by itself shortly.
        }
        long unwind = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (!running.isEmpty() && System.nanoTime() < unwind) {
            sleepQuietly(50);
        }
        scheduler.shutdownNow();
        bookkeeping.shutdown();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
