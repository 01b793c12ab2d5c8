package dev.framewright.api.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framewright.api.limits.OpenStreams;
import dev.framewright.api.tenant.Caller;
import dev.framewright.events.EventType;
import dev.framewright.events.JobEventJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code GET /v1/jobs/{id}/events}: the job's event history, then its new events as they are folded, as
 * Server-Sent Events. {@code id} is the row's seq, so {@code Last-Event-ID} resumes exactly after the last event
 * seen. The stream ends after the terminal event. A stream reads the database when {@link JobEventSignals} says the
 * projector folded events of its job, and otherwise only every {@link EventStreamConfig#safetyPoll()}.
 */
@Path("/v1/jobs/{id}/events")
public class JobEventsResource {

    private static final int BATCH = 200;
    private static final Set<String> TERMINAL_EVENTS = Set.of("completed", "failed", "canceled");
    private static final String PREFIX = "framewright.job.";
    private static final Logger LOG = Logger.getLogger(JobEventsResource.class);

    private final JobCommands jobs;
    private final Caller caller;
    private final Pool pool;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final JobEventSignals signals;
    private final OpenStreams openStreams;
    private final EventStreamConfig config;
    private final Counter reads;

    public JobEventsResource(JobCommands jobs, Caller caller, Pool pool, Vertx vertx, ObjectMapper json,
            JobEventSignals signals, OpenStreams openStreams, EventStreamConfig config, MeterRegistry registry) {
        this.jobs = jobs;
        this.caller = caller;
        this.pool = pool;
        this.vertx = vertx;
        this.json = json;
        this.signals = signals;
        this.openStreams = openStreams;
        this.config = config;
        this.reads = Counter.builder("framewright.event.stream.reads")
                .description("Database reads of the open event streams (woken, or their safety poll)")
                .register(registry);
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // the 404 check reads the job first; the stream itself waits for notifications without holding a thread
    @Operation(summary = "Stream the job's events (Server-Sent Events), resumable with Last-Event-ID")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
            @RestQuery("last_event_id") String lastEventIdQuery, @Context Sse sse) {
        UUID jobId = JobResource.parseId(id);
        String tenant = caller.tenant();
        jobs.find(tenant, jobId);
        long after = seq(lastEventId != null ? lastEventId : lastEventIdQuery);
        Runnable release = openStreams.acquire(tenant);
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> new Stream(emitter, sse, jobId, tenant, after)
                .start()).onTermination().invoke(release);
    }

    private static long seq(String lastEventId) {
        try {
            return lastEventId == null || lastEventId.isBlank() ? 0 : Math.max(0, Long.parseLong(lastEventId.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * One client's stream: reads the rows after its cursor when woken (a notification, its safety poll, or a full
     * page that says more are waiting) until the terminal event went out or the client left. At most one read is in
     * flight; a wake during a read makes one more read after it, so no notification is lost between the two.
     */
    private final class Stream {
        private final MultiEmitter<? super OutboundSseEvent> emitter;
        private final Sse sse;
        private final UUID jobId;
        private final String tenant;
        private final AtomicBoolean reading = new AtomicBoolean();
        private volatile boolean woken;
        private long cursor; // touched only by the one read in flight
        private long keepAlive;
        private volatile long timer = -1;
        private Runnable unregister = () -> { };

        Stream(MultiEmitter<? super OutboundSseEvent> emitter, Sse sse, UUID jobId, String tenant, long after) {
            this.emitter = emitter;
            this.sse = sse;
            this.jobId = jobId;
            this.tenant = tenant;
            this.cursor = after;
        }

        void start() {
            // A comment first, so the client sees the response (headers) at once, even before any event.
            emitter.emit(sse.newEventBuilder().comment("stream of job " + jobId).build());
            keepAlive = vertx.setPeriodic(config.keepAlive().toMillis(),
                    t -> emitter.emit(sse.newEventBuilder().comment("keep-alive").build()));
            unregister = signals.register(jobId, this::wake);
            emitter.onTermination(() -> {
                unregister.run();
                vertx.cancelTimer(keepAlive);
                cancelTimer();
            });
            wake();
        }

        /** Reads now, or right after the read in flight. */
        void wake() {
            woken = true;
            if (!emitter.isCancelled() && reading.compareAndSet(false, true)) {
                cancelTimer();
                read();
            }
        }

        private void cancelTimer() {
            long t = timer;
            if (t >= 0) {
                vertx.cancelTimer(t);
            }
        }

        private void read() {
            woken = false;
            reads.increment();
            // One query: the job (so an empty page still says whether the job is over) and the events after the cursor.
            pool.preparedQuery("""
                    SELECT j.status, j.progress_percent, e.seq, e.type, e.payload::text AS payload
                    FROM jobs j LEFT JOIN LATERAL (
                        SELECT seq, type, payload FROM job_events
                        WHERE job_id = j.id AND seq > $3 ORDER BY seq LIMIT $4) e ON true
                    WHERE j.id = $1 AND j.tenant = $2
                    ORDER BY e.seq""")
                    .execute(Tuple.of(jobId, tenant, cursor, BATCH))
                    .subscribe().with(rows -> {
                        if (deliver(rows) && !emitter.isCancelled()) {
                            // The timer before the flag: a wake that comes after the flag cancels this timer.
                            timer = vertx.setTimer(config.safetyPoll().toMillis(), t -> wake());
                            reading.set(false);
                            if (woken) {
                                wake(); // woken during the read: read again
                            }
                        }
                    }, failure -> {
                        LOG.warn("Event stream of job " + jobId + " failed", failure);
                        emitter.fail(failure);
                    });
        }

        /** @return whether more may come (the stream is still open) */
        private boolean deliver(RowSet<Row> rows) {
            String status = null;
            int delivered = 0;
            for (Row row : rows) {
                status = row.getString("status");
                Long seq = row.getLong("seq");
                if (seq == null) {
                    continue;
                }
                String type = shortType(row.getString("type"));
                emitter.emit(sse.newEventBuilder().id(Long.toString(seq)).name(type)
                        .mediaType(MediaType.TEXT_PLAIN_TYPE)
                        .data(String.class, data(row, type)).build());
                cursor = seq;
                delivered++;
                if (TERMINAL_EVENTS.contains(type)) {
                    emitter.complete();
                    return false;
                }
            }
            if (status == null) {
                emitter.complete(); // the job is gone
                return false;
            }
            if (delivered == 0 && JobRow.TERMINAL.contains(status)) {
                emitter.complete(); // the terminal event is behind the cursor: nothing more will come
                return false;
            }
            if (delivered == BATCH) {
                woken = true; // a full page: the next one is waiting
            }
            return true;
        }

        /** The event as the contract has it, snake_case, plus where the job stands now. */
        private String data(Row row, String type) {
            try {
                ObjectNode view;
                var eventType = EventType.fromCeType(row.getString("type"));
                String payload = row.getString("payload");
                if (eventType.isPresent()) {
                    view = json.valueToTree(JobEventJson.mapper().readValue(payload, eventType.get().recordClass()));
                } else {
                    view = (ObjectNode) JobEventJson.mapper().readTree(payload);
                }
                view.put("type", type);
                ObjectNode job = view.putObject("job");
                job.put("status", row.getString("status"));
                job.put("percent", row.getDouble("progress_percent"));
                return json.writeValueAsString(view);
            } catch (Exception e) {
                LOG.warn("Event " + row.getLong("seq") + " of job " + jobId + " could not be read", e);
                return "{\"type\":\"" + type + "\"}";
            }
        }
    }

    /** {@code framewright.job.progress.v1} → {@code progress}. */
    static String shortType(String ceType) {
        String type = ceType.startsWith(PREFIX) ? ceType.substring(PREFIX.length()) : ceType;
        return type.replaceFirst("\\.v\\d+$", "");
    }
}
