package dev.framewright.transcoder.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framewright.events.JobEventJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    }

    /**
     * @param attempts      attempts started so far (the last {@code attempt} number used)
     * @param unfinished    consecutive attempts that started and never ended (the worker died); reset by any end
     * @param lastWorker    who started the last attempt
     * @param lastStartedAt when
     */
    public record Attempts(int attempts, int unfinished, String lastWorker, Instant lastStartedAt) {

        public static final Attempts NONE = new Attempts(0, 0, null, null);

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
            return new Attempts(Math.max(attempts, attempt), unfinished + 1, worker, at);
        }

        /** The attempt reached an end (terminal event, or a handled failure that is retried): no crash. */
        public Attempts ended() {
            return new Attempts(attempts, 0, lastWorker, lastStartedAt);
        }

        /** The attempt was handed back on shutdown: not a crash, so the unfinished count is what it was before. */
        public Attempts released(Attempts before) {
            return new Attempts(attempts, before.unfinished, lastWorker, lastStartedAt);
        }
    }

    public Optional<CancelRequest> cancel(UUID jobId) {
        return bucket.read(MediaBucket.controlKey(jobId, CANCEL)).map(b -> parse(b, CancelRequest.class));
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
