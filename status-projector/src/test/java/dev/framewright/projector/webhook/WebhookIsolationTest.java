package dev.framewright.projector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.framewright.events.JobEvent;
import dev.framewright.events.Topics;
import dev.framewright.events.Webhook;
import dev.framewright.events.webhook.SecretBox;
import dev.framewright.events.webhook.WebhookSecrets;
import dev.framewright.events.webhook.WebhookSignature;
import dev.framewright.projector.stack.Lifecycles;
import dev.framewright.projector.stack.ProjectorStackResource;
import dev.framewright.projector.stack.StackTestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one tenant can do to another through webhooks: forge signatures (each tenant signs with its own secret),
 * reach the private network by DNS rebinding, or starve others' deliveries with slow receivers.
 */
@QuarkusTest
@QuarkusTestResource(ProjectorStackResource.class)
class WebhookIsolationTest extends StackTestSupport {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;
    @ConfigProperty(name = "framewright.webhooks.secret-key")
    String secretKey;

    private record Received(String path, String signature, byte[] body, Instant at) {
    }

    private HttpServer receiver;
    private ExecutorService handlers;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger slowNow = new AtomicInteger();
    private final AtomicInteger slowMax = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws IOException {
        // job-api's own tables, as job-api migrates them (the projector reads webhook_secrets).
        Flyway.configure().dataSource(jdbcUrl, dbUser, dbPassword)
                .locations("filesystem:" + System.getProperty("framewright.root", "..")
                        + "/job-api/src/main/resources/db/job-api")
                .table("flyway_history_job_api").baselineOnMigrate(true).baselineVersion("0")
                .load().migrate();
        handlers = Executors.newCachedThreadPool();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(handlers);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, exchange.getRequestHeaders().getFirst("Framewright-Signature"), body,
                    Instant.now()));
            if (path.equals("/slow")) {
                slowMax.accumulateAndGet(slowNow.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(6000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    slowNow.decrementAndGet();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        query("UPDATE webhook_deliveries SET status = 'failed' WHERE status = 'pending' AND tenant LIKE 'iso-%'");
        receiver.stop(0);
        handlers.shutdownNow();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static Lifecycles job(String tenant) {
        return new Lifecycles(UUID.randomUUID(), tenant, Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS));
    }

    private void notify(Lifecycles job, String path) {
        send(Topics.JOB_REQUESTS, job.requested(Topics.DEFAULT_QUEUE, new Webhook(url(path), false)));
        send(Topics.JOB_LIFECYCLE, job.started(1, 1), job.completed(1, 2));
    }

    /** As job-api's POST /v1/webhook-secrets does it: the shared SQL, sealed with the shared key. */
    private String rotate(String tenant, long overlapSeconds) {
        query("INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING", tenant);
        String secret = WebhookSecrets.generate();
        pool.preparedQuery(WebhookSecrets.ROTATE).execute(Tuple.tuple().addValue(tenant)
                        .addValue(WebhookSecrets.newId()).addValue(WebhookSecrets.shown(secret))
                        .addBuffer(Buffer.buffer(SecretBox.of(secretKey).seal(secret, tenant)))
                        .addValue((double) overlapSeconds))
                .await().atMost(Duration.ofSeconds(10));
        return secret;
    }

    private Received awaitOne(String path, Lifecycles job) {
        await("the notification of " + job.jobId(), Duration.ofSeconds(30), () -> received.stream()
                .anyMatch(r -> r.path().equals(path) && new String(r.body()).contains(job.jobId().toString())));
        return received.stream().filter(r -> r.path().equals(path)
                && new String(r.body()).contains(job.jobId().toString())).findFirst().orElseThrow();
    }

    private static boolean verifies(String secret, Received r) {
        return WebhookSignature.verify(secret, r.signature(), r.body(), Instant.now(), Duration.ofMinutes(5));
    }

    @Test
    void eachTenantSignsWithItsOwnSecretAndARotationSignsWithBothDuringTheOverlap() {
        String first = rotate("iso-acme", 0);
        String other = rotate("iso-globex", 0);

        Lifecycles a = job("iso-acme");
        notify(a, "/signed");
        Received one = awaitOne("/signed", a);
        assertThat(one.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
        assertThat(verifies(first, one)).isTrue();
        assertThat(verifies(other, one)).as("another tenant's secret").isFalse();
        assertThat(verifies(WebhookSecrets.DEV_FALLBACK_SECRET, one)).as("the fallback").isFalse();

        String second = rotate("iso-acme", 3600);
        Lifecycles b = job("iso-acme");
        notify(b, "/signed");
        Received two = awaitOne("/signed", b);
        assertThat(two.signature()).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
        assertThat(verifies(second, two)).isTrue();
        assertThat(verifies(first, two)).as("the previous secret, within the overlap").isTrue();

        String third = rotate("iso-acme", 0);
        Lifecycles c = job("iso-acme");
        notify(c, "/signed");
        Received three = awaitOne("/signed", c);
        assertThat(three.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
        assertThat(verifies(third, three)).isTrue();
        assertThat(verifies(second, three)).as("an overlap of 0 ends the previous secret at once").isFalse();
    }

    @Test
    void aTenantWithoutASecretFallsBackOnlyToTheConfiguredFallback() {
        Lifecycles job = job("iso-nosecret");
        notify(job, "/fallback");
        assertThat(verifies(WebhookSecrets.DEV_FALLBACK_SECRET, awaitOne("/fallback", job))).isTrue();
    }

    @Test
    void aRebindingHostNeverReachesTheLocalReceiver() throws Exception {
        Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
        // Public at the check, loopback at any later lookup: what a rebinding DNS server answers.
        HostResolver rebinding = host -> {
            int n = lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
            return List.of(InetAddress.getByName(n == 1 ? "93.184.216.34" : "127.0.0.1"));
        };
        QuarkusMock.installMockForType(new DestinationCheck(false, rebinding), DestinationCheck.class);

        Lifecycles job = job("iso-rebind");
        String hook = "http://rebind.attacker.test:" + receiver.getAddress().getPort() + "/internal";
        send(Topics.JOB_REQUESTS, job.requested(Topics.DEFAULT_QUEUE, new Webhook(hook, false)));
        send(Topics.JOB_LIFECYCLE, job.started(1, 1), job.completed(1, 2));

        await("a second attempt", Duration.ofSeconds(60), () -> count("SELECT count(*) FROM webhook_attempts a "
                + "JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.job_id = $1", job.jobId()) >= 2);
        assertThat(received).extracting(Received::path).doesNotContain("/internal");
        List<Row> attempts = new ArrayList<>();
        query("SELECT a.* FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id "
                + "WHERE d.job_id = $1 ORDER BY a.attempt", job.jobId()).forEach(attempts::add);
        // The first attempt went to the checked public address (unreachable here); the second looked up 127.0.0.1
        // and was refused, so the delivery failed for good.
        assertThat(attempts.get(0).getString("error")).doesNotStartWith("refused");
        assertThat(attempts.get(1).getString("error")).startsWith("refused: rebind.attacker.test resolves to 127.0.0.1");
        assertThat(one("SELECT status FROM webhook_deliveries WHERE job_id = $1", job.jobId()).getString(0))
                .isEqualTo("failed");
        assertThat(lookups.get("rebind.attacker.test")).as("one lookup per attempt").hasValue(attempts.size());
    }

    @Test
    void anUnresolvableHostIsAFailedAttemptThatIsRetried() {
        QuarkusMock.installMockForType(new DestinationCheck(false, host -> {
            throw new java.net.UnknownHostException(host);
        }), DestinationCheck.class);
        Lifecycles job = job("iso-nxdomain");
        send(Topics.JOB_REQUESTS, job.requested(Topics.DEFAULT_QUEUE, new Webhook("https://gone.invalid/x", false)));
        send(Topics.JOB_LIFECYCLE, job.started(1, 1), job.completed(1, 2));

        await("two attempts", Duration.ofSeconds(60), () -> count("SELECT count(*) FROM webhook_attempts a "
                + "JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.job_id = $1", job.jobId()) >= 2);
        Row delivery = one("SELECT status, last_error FROM webhook_deliveries WHERE job_id = $1", job.jobId());
        assertThat(delivery.getString("last_error")).isEqualTo("gone.invalid does not resolve");
        assertThat(delivery.getString("status")).isEqualTo("pending");
    }

    @Test
    void aTenantsSlowReceiverDoesNotStarveAnotherTenant() {
        List<JobEvent> requests = new ArrayList<>();
        List<JobEvent> lifecycle = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Lifecycles slow = job("iso-slow");
            requests.add(slow.requested(Topics.DEFAULT_QUEUE, new Webhook(url("/slow"), false)));
            lifecycle.add(slow.started(1, 1));
            lifecycle.add(slow.completed(1, 2));
        }
        send(Topics.JOB_REQUESTS, requests.toArray(JobEvent[]::new));
        send(Topics.JOB_LIFECYCLE, lifecycle.toArray(JobEvent[]::new));
        await("the slow tenant to hold its slots", Duration.ofSeconds(30), () -> slowNow.get() >= 4);

        Lifecycles quick = job("iso-quick");
        Instant sent = Instant.now();
        notify(quick, "/quick");
        Received arrived = awaitOne("/quick", quick);

        Duration waited = Duration.between(sent, arrived.at());
        System.out.printf("quick tenant's notification arrived after %d ms, %d slow requests in flight (max %d)%n",
                waited.toMillis(), slowNow.get(), slowMax.get());
        assertThat(waited).as("while 20 of another tenant's notifications wait").isLessThan(Duration.ofSeconds(3));
        assertThat(slowNow.get()).as("the slow tenant is still busy").isPositive();
        assertThat(slowMax.get()).as("one tenant's requests in flight").isEqualTo(4);
    }
}
