package dev.framewright.projector.webhook;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Delivers the webhook outbox ({@code webhook_deliveries}, written by the fold). Every poll claims a few due rows
 * ({@code FOR UPDATE SKIP LOCKED}, so several projector instances share the work) by pushing their next attempt past
 * a lease, and POSTs them concurrently, holding no transaction while a receiver answers. At most
 * {@code max-in-flight} requests run at once, each bounded by {@code timeout}: a slow receiver delays only its own
 * rows, never others or the fold. A 2xx is delivered; anything else is retried with exponential backoff and full
 * jitter until {@code give_up_at}, then the row is {@code failed}. Every attempt is recorded in
 * {@code webhook_attempts}.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    private static final String CLAIM = """
            UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $2)
            FROM (SELECT id FROM webhook_deliveries
                  WHERE status = 'pending' AND next_attempt_at <= now()
                  ORDER BY next_attempt_at, id LIMIT $1
                  FOR UPDATE SKIP LOCKED) due
            WHERE d.id = due.id
            RETURNING d.id, d.url, d.body, d.event_type, d.attempts, d.give_up_at""";
    private static final String ATTEMPT = """
            INSERT INTO webhook_attempts (delivery_id, attempt, at, status, error, duration_ms)
            SELECT $1, coalesce(max(attempt), 0) + 1, $2, $3, $4, $5 FROM webhook_attempts WHERE delivery_id = $1""";
    private static final String OUTCOME = """
            UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3, status = $4,
              delivered_at = $5, next_attempt_at = $6
            WHERE id = $1""";

    private final Pool pool;
    private final Vertx vertx;
    private final String secret;
    private final Duration pollInterval;
    private final int maxInFlight;
    private final Duration timeout;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final boolean enabled;
    private final boolean allowPrivateNetworks;
    private final HttpClient http;
    private final AtomicInteger inFlight = new AtomicInteger();
    @Inject
    WebhookMetrics metrics;
    private volatile boolean stopped;

    public WebhookDispatcher(Pool pool, Vertx vertx,
            @ConfigProperty(name = "framewright.webhooks.secret", defaultValue = "whsec_dev") String secret,
            @ConfigProperty(name = "framewright.webhooks.poll-interval", defaultValue = "500ms") Duration pollInterval,
            @ConfigProperty(name = "framewright.webhooks.max-in-flight", defaultValue = "16") int maxInFlight,
            @ConfigProperty(name = "framewright.webhooks.timeout", defaultValue = "10s") Duration timeout,
            @ConfigProperty(name = "framewright.webhooks.backoff-base", defaultValue = "5s") Duration backoffBase,
            @ConfigProperty(name = "framewright.webhooks.backoff-cap", defaultValue = "1h") Duration backoffCap,
            @ConfigProperty(name = "framewright.webhooks.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "framewright.webhooks.allow-private-networks", defaultValue = "false")
            boolean allowPrivateNetworks) {
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.pool = pool;
        this.vertx = vertx;
        this.secret = secret;
        this.pollInterval = pollInterval;
        this.maxInFlight = maxInFlight;
        this.timeout = timeout;
        this.backoffBase = backoffBase;
        this.backoffCap = backoffCap;
        this.enabled = enabled;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    void start(@Observes StartupEvent startup) {
        if (enabled) {
            schedule(pollInterval);
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
    }

    private void schedule(Duration delay) {
        if (!stopped) {
            vertx.setTimer(Math.max(1, delay.toMillis()), id -> poll());
        }
    }

    private void poll() {
        int free = maxInFlight - inFlight.get();
        if (free <= 0) {
            schedule(pollInterval);
            return;
        }
        // A claimed row comes back to the poll after the lease if this instance dies mid-request.
        long leaseSeconds = timeout.toSeconds() + 60;
        pool.preparedQuery(CLAIM).execute(Tuple.of(free, (double) leaseSeconds))
                .subscribe().with(rows -> {
                    List<Due> due = new ArrayList<>();
                    rows.forEach(r -> due.add(Due.of(r)));
                    due.forEach(this::deliver);
                    // A full claim means more may be due: look again soon instead of after a whole interval.
                    schedule(due.size() == free ? Duration.ofMillis(20) : pollInterval);
                }, failure -> {
                    LOG.warnf("Could not claim webhook deliveries: %s", failure.toString());
                    schedule(pollInterval);
                });
    }

    private record Due(long id, String url, JsonObject body, String type, int attempts, Instant giveUpAt) {
        static Due of(Row r) {
            return new Due(r.getLong("id"), r.getString("url"), (JsonObject) r.getValue("body"),
                    r.getString("event_type"), r.getInteger("attempts"), r.getOffsetDateTime("give_up_at").toInstant());
        }
    }

    /** @param refused the destination is not allowed: failed at once, never retried */
    private record Outcome(Integer status, String error, boolean refused) {
        Outcome(Integer status, String error) {
            this(status, error, false);
        }

        boolean delivered() {
            return error == null && status != null && status >= 200 && status < 300;
        }
    }

    private void deliver(Due due) {
        inFlight.incrementAndGet();
        long started = System.nanoTime();
        Uni.createFrom().item(() -> WebhookDestination.refusal(URI.create(due.url()), allowPrivateNetworks))
                .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .chain(refusal -> refusal.isPresent()
                        ? Uni.createFrom().item(new Outcome(null, "refused: " + refusal.get(), true))
                        : post(due))
                .onFailure().recoverWithItem(e -> new Outcome(null, describe(e)))
                .chain(outcome -> record(due, outcome, (int) ((System.nanoTime() - started) / 1_000_000)))
                .eventually(inFlight::decrementAndGet)
                .subscribe().with(ignored -> { },
                        e -> LOG.errorf(e, "Could not record webhook delivery %d", due.id()));
    }

    private Uni<Outcome> post(Due due) {
        byte[] body = new JsonObject().put("id", due.id()).mergeIn(due.body()).encode()
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(due.url()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Framewright-Webhooks/1")
                .header(WebhookSignature.HEADER, WebhookSignature.sign(secret, Instant.now().getEpochSecond(), body))
                .header("Framewright-Delivery", Long.toString(due.id()))
                .header("Framewright-Event", due.type())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        // The request timeout ends the wait for headers; orTimeout also bounds a receiver that trickles its body.
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .map(response -> new Outcome(response.statusCode(), null));
    }

    private Uni<Void> record(Due due, Outcome outcome, int durationMs) {
        Instant now = Instant.now();
        String status;
        Instant next = now;
        String error = outcome.error() != null ? outcome.error()
                : outcome.delivered() ? null : "HTTP " + outcome.status();
        if (outcome.delivered()) {
            status = "delivered";
        } else if (outcome.refused() || !now.isBefore(due.giveUpAt())) {
            status = "failed";
        } else {
            status = "pending";
            next = now.plus(backoff(due.attempts() + 1));
            if (next.isAfter(due.giveUpAt())) {
                next = due.giveUpAt(); // one last try at the deadline
            }
        }
        String finalStatus = status;
        Instant nextAttempt = next;
        metrics.attempt(status.equals("pending") ? "retrying" : status, outcome.status(), durationMs);
        if (!outcome.delivered()) {
            JsonObject job = due.body().getJsonObject("job");
            MDC.put("job_id", job == null ? "" : job.getString("id", ""));
            try {
                LOG.debugf("Webhook delivery %d to %s: %s; %s", due.id(), due.url(), error, finalStatus);
            } finally {
                MDC.remove("job_id");
            }
        }
        return pool.withTransaction(conn -> conn.preparedQuery(ATTEMPT)
                        .execute(Tuple.tuple().addValue(due.id()).addValue(utc(now)).addValue(outcome.status())
                                .addValue(error).addValue(durationMs))
                        .chain(() -> conn.preparedQuery(OUTCOME).execute(Tuple.tuple().addValue(due.id())
                                .addValue(outcome.status()).addValue(error).addValue(finalStatus)
                                .addValue(outcome.delivered() ? utc(now) : null).addValue(utc(nextAttempt)))))
                .replaceWithVoid();
    }

    /** Exponential backoff with full jitter: uniformly random in [0, min(cap, base * 2^(attempt-1))]. */
    Duration backoff(int attempt) {
        long ceiling = backoffBase.toMillis() << Math.min(30, Math.max(0, attempt - 1));
        if (ceiling <= 0 || ceiling > backoffCap.toMillis()) {
            ceiling = backoffCap.toMillis();
        }
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        String message = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
