package dev.framewright.transcoder.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.events.EventType;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobRequested;
import dev.framewright.events.control.CancelRequest;
import dev.framewright.events.rules.ObjectKeys;
import java.time.Instant;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * The job's control objects in the bucket ({@code jobs/{id}/_control/...}): the cancel request job-api writes, and
 * the attempts record this transcoder owns, and claims. The transcoder has no database; these are its only shared
 * state.
 *
 * <p>Why claims, and not conditional updates of {@code attempts}: {@code attempts} is rewritten unconditionally, so
 * two deliveries of one request could both count an attempt or both publish a terminal event. An {@code If-Match}
 * update would close that on AWS and MinIO, but S3Proxy 4.1 (the local stack's store, filesystem backend) checks
 * {@code If-Match} without a lock: of 16 concurrent PUTs with the same {@code If-Match} ETag, 2 to 5 succeeded. Its
 * {@code If-None-Match: *} create is atomic (one winner in 16 rounds of 12 to 16 concurrent PUTs), as on AWS (since
 * 2024) and MinIO. So each attempt number and each request's answer is an object created once ({@link ObjectKeys#CLAIMS}):
 * whoever creates it owns it, and the loser re-reads and defers to the winner. {@code attempts} stays the count,
 * written only by the owner of the current attempt.
 */
@ApplicationScoped
public class ControlStore {

    private static final ObjectMapper JSON = JobEventJson.mapper();

    private final MediaBucket bucket;

    public ControlStore(MediaBucket bucket) {
        this.bucket = bucket;
    }

    /**
     * @param attempts      attempts started so far (the last {@code attempt} number used)
     * @param unfinished    consecutive attempts that started and never ended (the worker died); reset by any end
     * @param lastWorker    who started the last attempt
     * @param lastStartedAt when
     */
    /**
     * @param concludedAttempt the attempt whose terminal event was emitted last; null before any. A request redelivered
     *                         after that (its worker died before committing the offset) is already answered.
     * @param pendingTerminal  a terminal event about to be published ({@code type} = its CloudEvents type, {@code
     *                         json} = the event), written before it is sent: a worker that dies around the send leaves
     *                         it here, and the next delivery publishes the same event (same id) instead of running the
     *                         job again, so consumers see one terminal event, at most delivered twice
     */
    public record Attempts(int attempts, int unfinished, String lastWorker, Instant lastStartedAt,
            Integer concludedAttempt, PendingTerminal pendingTerminal) {

        public static final Attempts NONE = new Attempts(0, 0, null, null, null, null);

        /** A terminal event on its way out. */
        public record PendingTerminal(String type, String json) {

            public static PendingTerminal of(JobEvent event) {
                return new PendingTerminal(event.type(), new String(JobEventJson.write(event), StandardCharsets.UTF_8));
            }

            public Optional<JobEvent> event() {
                return EventType.fromCeType(type).map(t -> JobEventJson.read(json.getBytes(StandardCharsets.UTF_8),
                        t.recordClass()));
            }
        }

        /** Recorded just before {@code terminal} is published. */
        public Attempts concluding(JobEvent terminal) {
            return new Attempts(Math.max(attempts, terminal.attempt()), unfinished, lastWorker, lastStartedAt,
                    concludedAttempt, PendingTerminal.of(terminal));
        }

        /**
         * Whether a terminal event was already emitted for this request: an attempt after the request's
         * {@code attempt} (0 for a new job, the attempts so far for a retry) concluded it.
         */
        public boolean concluded(int requestAttempt) {
            return concludedAttempt != null && concludedAttempt > requestAttempt;
        }

        /**
         * The number of the next attempt: after every attempt recorded here, and after those a retry request
         * says were made ({@code JobRequested.attempt}), so numbers never repeat.
         */
        public int next(int requestAttempt) {
            return Math.max(attempts, requestAttempt) + 1;
        }

        /** Too many attempts in a row died without an end: running it again would likely crash another worker. */
        public boolean quarantined(int maxAttempts) {
            return unfinished >= maxAttempts;
        }

        /** Written before an attempt starts: it counts as unfinished until {@link #ended()} is written. */
        public Attempts started(int attempt, String worker, Instant at) {
            return new Attempts(Math.max(attempts, attempt), unfinished + 1, worker, at, concludedAttempt, null);
        }

        /** The attempt reached an end (terminal event, or a handled failure that is retried): no crash. */
        public Attempts ended() {
            return new Attempts(attempts, 0, lastWorker, lastStartedAt, concludedAttempt, pendingTerminal);
        }

        /** The attempt's terminal event is durable: the request is answered. */
        public Attempts concludedBy(int attempt) {
            return new Attempts(Math.max(attempts, attempt), 0, lastWorker, lastStartedAt, attempt, null);
        }

        /** The attempt was handed back on shutdown: not a crash, so the unfinished count is what it was before. */
        public Attempts released(Attempts before) {
            return new Attempts(attempts, before.unfinished, lastWorker, lastStartedAt, concludedAttempt,
                    pendingTerminal);
        }
    }

    /**
     * Who runs attempt {@code attempt} of a job: created once, before JobStarted, so that of two deliveries of one
     * request (a rebalance, a worker cut off from the brokers but not from the store) only one runs each attempt
     * number. Its owner refreshes {@code heartbeat} while the attempt runs.
     *
     * @param worker      the worker's id (stable across its restarts, unique among live members)
     * @param incarnation unique per process start: a claim of this worker id from another incarnation is dead
     * @param delivery    unique per delivery
     */
    public record AttemptClaim(int attempt, String worker, String incarnation, String delivery, Instant heartbeat) {

        public AttemptClaim beat(Instant at) {
            return new AttemptClaim(attempt, worker, incarnation, delivery, at);
        }
    }

    /** @return true when this call claimed the attempt number; false when another claim has it */
    public boolean claimAttempt(UUID jobId, AttemptClaim claim) {
        return bucket.create(attemptClaimKey(jobId, claim.attempt()), json(claim), "application/json");
    }

    public Optional<AttemptClaim> attemptClaim(UUID jobId, int attempt) {
        return bucket.read(attemptClaimKey(jobId, attempt)).map(b -> parse(b, AttemptClaim.class));
    }

    /** The owner's heartbeat (an unconditional write: only the claim's owner writes it after creating it). */
    public void refresh(UUID jobId, AttemptClaim claim) {
        bucket.write(attemptClaimKey(jobId, claim.attempt()), json(claim), "application/json");
    }

    /**
     * The one answer to a request (keyed by its {@code JobRequested.attempt}: 0 for the first, the attempts so far for
     * a retry), created once just before it is published: two deliveries of one request never publish two different
     * terminal events.
     *
     * @return true when this call claimed it; false when the request already has an answer
     */
    public boolean claimAnswer(UUID jobId, int requestAttempt, JobEvent terminal) {
        return bucket.create(answerKey(jobId, requestAttempt), json(Attempts.PendingTerminal.of(terminal)),
                "application/json");
    }

    /** Replaces the answer this delivery claimed (by the small JobFailed when the broker refused it). */
    public void replaceAnswer(UUID jobId, int requestAttempt, JobEvent terminal) {
        bucket.write(answerKey(jobId, requestAttempt), json(Attempts.PendingTerminal.of(terminal)),
                "application/json");
    }

    public Optional<JobEvent> answer(UUID jobId, int requestAttempt) {
        return bucket.read(answerKey(jobId, requestAttempt))
                .flatMap(b -> parse(b, Attempts.PendingTerminal.class).event());
    }

    private static String attemptClaimKey(UUID jobId, int attempt) {
        return ObjectKeys.attemptClaim(jobId, attempt);
    }

    private static String answerKey(UUID jobId, int requestAttempt) {
        return ObjectKeys.answerClaim(jobId, requestAttempt);
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<CancelRequest> cancel(UUID jobId) {
        return bucket.read(ObjectKeys.cancel(jobId)).map(b -> parse(b, CancelRequest.class));
    }

    /** The cancel request that applies to this request of the job, if any. */
    public Optional<CancelRequest> cancel(JobRequested request) {
        return cancel(request.jobId()).filter(c -> c.appliesTo(request));
    }

    public Attempts attempts(UUID jobId) {
        return bucket.read(ObjectKeys.attempts(jobId)).map(b -> parse(b, Attempts.class))
                .orElse(Attempts.NONE);
    }

    public void writeAttempts(UUID jobId, Attempts attempts) {
        try {
            bucket.write(ObjectKeys.attempts(jobId), JSON.writeValueAsBytes(attempts), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T parse(byte[] json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable control object", e);
        }
    }
}
