package dev.framewright.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.framewright.localstack.Framewright;
import io.restassured.path.json.JsonPath;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks against a real HTTP receiver that fails its first attempts: retried, signed, recorded, re-sendable. */
class WebhookTest extends SystemTest {

    private record Received(String signature, String body, Instant at) {
    }

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger(2);

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("Framewright-Signature"),
                    new String(body, StandardCharsets.UTF_8), Instant.now()));
            int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void shouldDeliverASignedNotificationAfterTheReceiverRecovers() throws Exception {
        // The tenant's own signing secret, shown once; the previous one (if an earlier run made one) ends at once.
        String secret = given().queryParam("expire_previous", "true").post("/v1/webhook-secrets")
                .then().statusCode(201).extract().path("secret");
        Path clip = Media.clip(media, 320, 240, 1);
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        String id = Jobs.submit(clip, "video/mp4", """
                {"outputs":[{"name":"meta","type":"probe"}],"webhook":{"url":"%s"}}""".formatted(url))
                .then().statusCode(202).extract().path("id");
        assertThat(Jobs.awaitTerminal(id).getString("status")).isEqualTo("succeeded");

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(received).as("deliveries so far; the job: %s", Jobs.get(id).prettify()).hasSizeGreaterThanOrEqualTo(3));
        Received delivered = received.get(2);
        assertThat(received.get(0).body()).as("every attempt sends the same body").isEqualTo(delivered.body());
        assertThat(Duration.between(received.get(0).at(), received.get(1).at())).as("backoff between attempts")
                .isPositive();
        verifySignature(delivered, secret);
        JsonPath body = JsonPath.from(delivered.body());
        assertThat(body.getString("type")).isEqualTo("framewright.job.completed.v1");
        assertThat(body.getString("job.id")).isEqualTo(id);
        assertThat(body.getString("job.status")).isEqualTo("succeeded");

        // Each attempt is visible on the job.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath job = Jobs.get(id);
            assertThat(job.getString("webhook.deliveries[0].status")).isEqualTo("delivered");
            assertThat(job.getList("webhook.deliveries[0].history.status")).containsExactly(503, 503, 204);
        });

        // And re-sendable on demand.
        given().post("/v1/jobs/{id}/webhook/redeliver", id).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 4);
        assertThat(received.get(3).body()).isEqualTo(delivered.body());
        verifySignature(received.get(3), secret);
    }

    /**
     * What a receiver does: recompute HMAC-SHA256 over "{t}.{body}" with its tenant's secret, accept if any v1
     * matches, and check the timestamp is recent. Never the deployment's fallback secret.
     */
    private static void verifySignature(Received r, String secret) throws Exception {
        assertThat(r.signature()).matches("t=\\d+(,v1=[0-9a-f]{64})+");
        String t = r.signature().substring(2, r.signature().indexOf(','));
        List<String> v1 = Arrays.stream(r.signature().split(",")).filter(p -> p.startsWith("v1="))
                .map(p -> p.substring(3)).toList();
        assertThat(v1).contains(hmac(secret, t, r.body())).doesNotContain(hmac(Framewright.DEV_WEBHOOK_SECRET, t, r.body()));
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t))).isLessThan(300);
    }

    private static String hmac(String secret, String t, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    }
}
