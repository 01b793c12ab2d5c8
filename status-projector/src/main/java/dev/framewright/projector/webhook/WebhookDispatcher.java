package dev.framewright.projector.webhook;

import dev.framewright.events.webhook.WebhookSignature;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Delivers the webhook outbox ({@code webhook_deliveries}, written by the fold). Every poll claims a few due rows
 * ({@code FOR UPDATE SKIP LOCKED}, so several projector instances share the work) by pushing their next attempt past
 * a lease, and POSTs them concurrently, holding no transaction while a receiver answers. At most
 * {@code max-in-flight} requests run at once, and at most {@code max-in-flight-per-tenant} of one tenant, each
 * bounded by {@code timeout}; the claim takes due rows round-robin across tenants (each tenant's oldest first), so
 * one tenant's slow receivers or backlog delay only that tenant. A 2xx is delivered; anything else (an unresolvable
 * host, a tenant without a signing secret included) is retried with exponential backoff and full jitter until
 * {@code give_up_at}, then the row is {@code failed}; a destination refused by {@link WebhookDestination} fails at
 * once. Every attempt is recorded in {@code webhook_attempts}. The host is resolved once per attempt and the
 * connection goes to the address that was checked; redirects are never followed.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    /**
     * Due rows ranked within their tenant (oldest first), minus the slots the tenant already uses on this instance
     * ($3 tenants, $4 their in-flight counts, $5 the per-tenant cap), then taken rank by rank: every tenant's first
     * before any tenant's second. The locking level re-checks status and due time, since another instance may have
     * claimed a ranked row meanwhile.
     */
    private static final String CLAIM = """
            WITH ranked AS (
              SELECT d.id, d.next_attempt_at, coalesce(busy.n, 0) AS busy,
                     row_number() OVER (PARTITION BY d.tenant ORDER BY d.next_attempt_at, d.id) AS rn
              FROM webhook_deliveries d
              LEFT JOIN unnest($3::text[], $4::int[]) AS busy(tenant, n) ON busy.tenant = d.tenant
              WHERE d.status = 'pending' AND d.next_attempt_at <= now()
            ), picked AS (
              SELECT d.id FROM webhook_deliveries d JOIN ranked r ON r.id = d.id
              WHERE r.rn <= $5 - r.busy AND d.status = 'pending' AND d.next_attempt_at <= now()
              ORDER BY r.rn, r.next_attempt_at, r.id
              LIMIT $1
              FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $2)
            FROM picked WHERE d.id = picked.id
            RETURNING d.id, d.tenant, d.url, d.body, d.event_type, d.attempts, d.give_up_at""";
    private static final String ATTEMPT = """
            INSERT INTO webhook_attempts (delivery_id, attempt, at, status, error, duration_ms)
            SELECT $1, coalesce(max(attempt), 0) + 1, $2, $3, $4, $5 FROM webhook_attempts WHERE delivery_id = $1""";
    private static final String OUTCOME = """
            UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3, status = $4,
              delivered_at = $5, next_attempt_at = $6
            WHERE id = $1""";

    private final Pool pool;
    private final Vertx vertx;
    private final SigningSecrets secrets;
    private final DestinationCheck destinations;
    private final WebhookMetrics metrics;
    private final Duration pollInterval;
    private final int maxInFlight;
    private final int maxInFlightPerTenant;
    private final Duration timeout;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final boolean enabled;
    private final HttpClient http;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Requests in flight per tenant on this instance; a tenant leaves the map when it has none. */
    private final Map<String, Integer> inFlightByTenant = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    public WebhookDispatcher(Pool pool, Vertx vertx, SigningSecrets secrets, DestinationCheck destinations,
            WebhookMetrics metrics, WebhooksConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.secrets = secrets;
        this.destinations = destinations;
        this.metrics = metrics;
        this.pollInterval = config.pollInterval();
        this.maxInFlight = config.maxInFlight();
        this.maxInFlightPerTenant = Math.max(1, Math.min(config.maxInFlightPerTenant(), maxInFlight));
        this.timeout = config.timeout();
        this.backoffBase = config.backoffBase();
        this.backoffCap = config.backoffCap();
        this.enabled = config.enabled();
        // No keep-alive: every attempt opens its own connection to the address just checked, and a receiver that
        // never finishes its body costs a connection only until the idle timeout.
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setIdleTimeout((int) Math.max(1, timeout.toSeconds()))
                .setKeepAlive(false)
                .setMaxPoolSize(maxInFlight)
                .setForceSni(true)
                .setVerifyHost(true));
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
        List<String> busyTenants = new ArrayList<>();
        List<Integer> busyCounts = new ArrayList<>();
        inFlightByTenant.forEach((tenant, n) -> {
            busyTenants.add(tenant);
            busyCounts.add(n);
        });
        // A claimed row comes back to the poll after the lease if this instance dies mid-request.
        long leaseSeconds = timeout.toSeconds() + 60;
        pool.preparedQuery(CLAIM).execute(Tuple.tuple().addValue(free).addValue((double) leaseSeconds)
                        .addArrayOfString(busyTenants.toArray(String[]::new))
                        .addArrayOfInteger(busyCounts.toArray(Integer[]::new))
                        .addValue(maxInFlightPerTenant))
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

    private record Due(long id, String tenant, String url, JsonObject body, String type, int attempts,
            Instant giveUpAt) {
        static Due of(Row r) {
            return new Due(r.getLong("id"), r.getString("tenant"), r.getString("url"), (JsonObject) r.getValue("body"),
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
        inFlightByTenant.merge(due.tenant(), 1, Integer::sum);
        long started = System.nanoTime();
        Uni.createFrom().item(() -> destinations.check(due.url()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(verdict -> attempt(due, verdict))
                .onFailure().recoverWithItem(e -> new Outcome(null, describe(e)))
                .chain(outcome -> record(due, outcome, (int) ((System.nanoTime() - started) / 1_000_000)))
                .eventually(() -> {
                    inFlight.decrementAndGet();
                    inFlightByTenant.computeIfPresent(due.tenant(), (tenant, n) -> n <= 1 ? null : n - 1);
                })
                .subscribe().with(ignored -> { },
                        e -> LOG.errorf(e, "Could not record webhook delivery %d", due.id()));
    }

    private Uni<Outcome> attempt(Due due, WebhookDestination.Verdict verdict) {
        if (verdict instanceof WebhookDestination.Refused refused) {
            return Uni.createFrom().item(new Outcome(null, "refused: " + refused.reason(), true));
        }
        if (verdict instanceof WebhookDestination.Unresolved unresolved) {
            return Uni.createFrom().item(new Outcome(null, unresolved.reason()));
        }
        WebhookDestination.Allowed allowed = (WebhookDestination.Allowed) verdict;
        return secrets.of(due.tenant()).chain(keys -> post(due, allowed, keys));
    }

    /** POSTs to the checked address; Host, SNI and the certificate check use the URL's host name. */
    private Uni<Outcome> post(Due due, WebhookDestination.Allowed to, List<String> keys) {
        byte[] body = new JsonObject().put("id", due.id()).mergeIn(due.body()).encode()
                .getBytes(StandardCharsets.UTF_8);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(to.port(), to.address().getHostAddress()))
                .setHost(to.host())
                .setPort(to.port())
                .setSsl(to.tls())
                .setURI(to.requestUri())
                .setFollowRedirects(false)
                .setConnectTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "Framewright-Webhooks/1")
                .putHeader(WebhookSignature.HEADER, WebhookSignature.sign(keys, Instant.now().getEpochSecond(), body))
                .putHeader("Framewright-Delivery", Long.toString(due.id()))
                .putHeader("Framewright-Event", due.type());
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        // The whole exchange up to the status line is bounded, so a receiver that trickles its headers times out too.
        // The body is never read; without keep-alive the connection closes after it (or at the idle timeout).
        return http.request(options)
                .invoke(request -> {
                    sent.set(request);
                    request.exceptionHandler(ignored -> { }); // the failure reaches the Uni; a late reset is expected
                })
                .chain(request -> request.send(Buffer.buffer(body)))
                .map(response -> new Outcome(response.statusCode(), null))
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("no answer within " + timeout))
                .onFailure().invoke(() -> {
                    HttpClientRequest request = sent.get();
                    if (request != null) {
                        request.reset();
                    }
                });
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
        if (e instanceof SigningSecrets.NoSecret) {
            return e.getMessage();
        }
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        String message = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
