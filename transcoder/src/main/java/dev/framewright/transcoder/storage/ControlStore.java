package dev.framewright.transcoder.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.events.EventType;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The job's control objects in the bucket ({@code jobs/{id}/_control/...}): the cancel request job-api writes, and
 * the attempts record this transcoder owns. The transcoder has no database; these are its only shared state.
 */
@ApplicationScoped
public class ControlStore {

    public static final String CANCEL = "cancel";
    public static final String ATTEMPTS = "attempts";

    private static final ObjectMapper JSON = JobEventJson.mapper();

    private final MediaBucket bucket;

    public ControlStore(MediaBucket bucket) {
        this.bucket = bucket;
    }

    /**
     * @param terminalEmitted true when job-api already published {@code JobCanceled} (the job was still queued)
     */
    public record CancelRequest(Instant requestedAt, boolean terminalEmitted) {

        /**
         * A cancel stops the requests made up to it, never a retry requested after it (job-api times a retry after
         * the cancel object and leaves the object in place, so older requests still queued stay canceled).
         */
        public boolean appliesTo(JobRequested request) {
            return requestedAt == null || request.time() == null || !requestedAt.isBefore(request.time());
        }
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

            static PendingTerminal of(JobEvent event) {
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

    public Optional<CancelRequest> cancel(UUID jobId) {
        return bucket.read(MediaBucket.controlKey(jobId, CANCEL)).map(b -> parse(b, CancelRequest.class));
    }

    /** The cancel request that applies to this request of the job, if any. */
    public Optional<CancelRequest> cancel(JobRequested request) {
        return cancel(request.jobId()).filter(c -> c.appliesTo(request));
    }

    public Attempts attempts(UUID jobId) {
        return bucket.read(MediaBucket.controlKey(jobId, ATTEMPTS)).map(b -> parse(b, Attempts.class))
                .orElse(Attempts.NONE);
    }

    public void writeAttempts(UUID jobId, Attempts attempts) {
        try {
            bucket.write(MediaBucket.controlKey(jobId, ATTEMPTS), JSON.writeValueAsBytes(attempts), "application/json");
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
