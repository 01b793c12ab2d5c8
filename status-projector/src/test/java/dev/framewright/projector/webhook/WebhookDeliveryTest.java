package dev.framewright.projector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.Topics;
import dev.framewright.events.Webhook;
import dev.framewright.events.webhook.WebhookSignature;
import dev.framewright.projector.stack.Lifecycles;
import dev.framewright.projector.stack.ProjectorStackResource;
import dev.framewright.projector.stack.StackTestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox delivered to a real HTTP receiver. */
@QuarkusTest
@QuarkusTestResource(ProjectorStackResource.class)
class WebhookDeliveryTest extends StackTestSupport {

    private static final String SECRET = "whsec_dev";

    private record Received(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger flakyCalls = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body));
            int status = switch (path) {
                case "/flaky" -> flakyCalls.incrementAndGet() <= 2 ? 503 : 204;
                case "/broken" -> 500;
                default -> 200;
            };
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    @Test
    void retriesUntilTheReceiverAcceptsAndSignsEveryAttempt() {
        Lifecycles job = Lifecycles.newJob();
        JobCompleted completed = job.completed(1, 9);
        send(Topics.JOB_REQUESTS, job.requested(Topics.DEFAULT_QUEUE, new Webhook(url("/flaky"), false)));
        // The terminal event twice (a redelivery): still one notification.
        send(Topics.JOB_LIFECYCLE, job.started(1, 1), job.progress(1, 2, 50), completed, completed);

        await("the delivery", Duration.ofSeconds(60), () -> "delivered".equals(deliveryStatus(job)));

        Row delivery = one("SELECT * FROM webhook_deliveries WHERE job_id = $1", job.jobId());
        assertThat(count("SELECT count(*) FROM webhook_deliveries WHERE job_id = $1", job.jobId())).isEqualTo(1);
        long id = delivery.getLong("id");
        assertThat(delivery.getInteger("attempts")).isEqualTo(3);
        assertThat(delivery.getInteger("last_status")).isEqualTo(204);
        assertThat(delivery.getString("event_type")).isEqualTo(completed.type());
        List<Row> attempts = new ArrayList<>();
        query("SELECT * FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt", id).forEach(attempts::add);
        assertThat(attempts).extracting(r -> r.getInteger("attempt")).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(r -> r.getInteger("status")).containsExactly(503, 503, 204);
        assertThat(attempts.get(0).getString("error")).isEqualTo("HTTP 503");
        assertThat(attempts.get(2).getString("error")).isNull();

        List<Received> calls = received.stream().filter(r -> r.path().equals("/flaky")).toList();
        assertThat(calls).hasSize(3);
        for (Received call : calls) {
            assertThat(WebhookSignature.verify(SECRET, call.header("Framewright-Signature"), call.body(),
                    Instant.now(), Duration.ofMinutes(5))).isTrue();
            assertThat(WebhookSignature.verify("whsec_other", call.header("Framewright-Signature"), call.body(),
                    Instant.now(), Duration.ofMinutes(5))).isFalse();
            assertThat(call.header("Content-Type")).isEqualTo("application/json");
            assertThat(call.header("Framewright-Delivery")).isEqualTo(Long.toString(id));
            assertThat(call.header("Framewright-Event")).isEqualTo("framewright.job.completed.v1");
        }
        JsonObject body = new JsonObject(new String(calls.get(2).body(), StandardCharsets.UTF_8));
        assertThat(body.getLong("id")).isEqualTo(id);
        assertThat(body.getString("type")).isEqualTo("framewright.job.completed.v1");
        assertThat(Instant.parse(body.getString("created_at"))).isBefore(Instant.now());
        JsonObject jobJson = body.getJsonObject("job");
        assertThat(jobJson.getString("id")).isEqualTo(job.jobId().toString());
        assertThat(jobJson.getString("status")).isEqualTo("succeeded");
        assertThat(jobJson.getString("queue")).isEqualTo("default");
        assertThat(jobJson.getJsonObject("labels").getString("project")).isEqualTo("apollo");
        assertThat(jobJson.getJsonArray("outputs").getJsonObject(0).getString("name")).isEqualTo("small");
        assertThat(jobJson.getJsonArray("outputs").getJsonObject(0).getString("status")).isEqualTo("succeeded");
        assertThat(body.getJsonObject("event").getString("eventId")).isEqualTo(completed.eventId().toString());

        // Redeliver, as job-api does: the row back to pending.
        query("UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), "
                + "give_up_at = now() + interval '1 hour' WHERE id = $1", id);
        await("the redelivery", Duration.ofSeconds(30), () -> received.stream()
                .filter(r -> r.path().equals("/flaky")).count() == 4 && "delivered".equals(deliveryStatus(job)));
        assertThat(count("SELECT count(*) FROM webhook_attempts WHERE delivery_id = $1", id)).isEqualTo(4);
    }

    @Test
    void progressMilestonesNotifyOncePerAttempt() {
        Lifecycles job = Lifecycles.newJob();
        send(Topics.JOB_REQUESTS, job.requested(Topics.DEFAULT_QUEUE, new Webhook(url("/progress"), true)));
        send(Topics.JOB_LIFECYCLE, job.started(1, 1), job.progress(1, 2, 10), job.progress(1, 3, 30),
                job.progress(1, 4, 20), job.progress(1, 5, 60), job.progress(1, 6, 80), job.progress(1, 7, 90),
                job.completed(1, 8));

        await("four notifications", Duration.ofSeconds(60), () -> count(
                "SELECT count(*) FROM webhook_deliveries WHERE job_id = $1 AND status = 'delivered'", job.jobId()) == 4);
        List<Double> percents = new ArrayList<>();
        query("SELECT body FROM webhook_deliveries WHERE job_id = $1 AND event_type = 'framewright.job.progress.v1'",
                job.jobId()).forEach(r -> percents.add(((JsonObject) r.getValue(0)).getJsonObject("event")
                        .getDouble("percent")));
        assertThat(percents).containsExactlyInAnyOrder(30.0, 60.0, 80.0);
        assertThat(count("SELECT count(*) FROM webhook_deliveries WHERE job_id = $1", job.jobId())).isEqualTo(4);
    }

    @Test
    void givesUpAfterTheDeadline() {
        Lifecycles job = Lifecycles.newJob();
        send(Topics.JOB_REQUESTS, job.requested(Topics.DEFAULT_QUEUE, new Webhook(url("/broken"), false)));
        send(Topics.JOB_LIFECYCLE, job.started(1, 1), job.completed(1, 2));
        await("a first attempt", Duration.ofSeconds(60), () -> count("SELECT count(*) FROM webhook_attempts a "
                + "JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.job_id = $1", job.jobId()) >= 1);

        query("UPDATE webhook_deliveries SET give_up_at = now() WHERE job_id = $1", job.jobId());
        await("the delivery to fail", Duration.ofSeconds(60), () -> "failed".equals(deliveryStatus(job)));
        assertThat(one("SELECT last_status FROM webhook_deliveries WHERE job_id = $1", job.jobId()).getInteger(0))
                .isEqualTo(500);
    }

    private String deliveryStatus(Lifecycles job) {
        Row row = one("SELECT status FROM webhook_deliveries WHERE job_id = $1", job.jobId());
        return row == null ? null : row.getString(0);
    }
}
