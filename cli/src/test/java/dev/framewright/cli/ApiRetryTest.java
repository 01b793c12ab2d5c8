package dev.framewright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 429 and 503 are "come back later": the CLI waits as {@code Retry-After} says and sends the same request again (with
 * the same Idempotency-Key), within a bounded budget, on a real HTTP server that answers like job-api does.
 */
class ApiRetryTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(int refusals, int refusalStatus, String retryAfter, List<String> keys) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/jobs", exchange -> {
            keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.getRequestBody().readAllBytes();
            byte[] body;
            if (calls.incrementAndGet() <= refusals) {
                body = "{\"title\":\"Too many requests\",\"code\":\"rate_limited\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                if (retryAfter != null) {
                    exchange.getResponseHeaders().add("Retry-After", retryAfter);
                }
                exchange.sendResponseHeaders(refusalStatus, body.length);
            } else {
                body = "{\"id\":\"j1\",\"status\":\"queued\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(202, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static Map<String, String> idempotency() {
        return Map.of("Idempotency-Key", "k-1");
    }

    @Test
    void aRateLimitedSubmissionIsSentAgainAfterRetryAfter() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        Api api = new Api(serve(2, 429, "1", keys), "fw_test_key_0000000000000000");
        long start = System.nanoTime();

        var job = api.post("/v1/jobs", HttpRequest.BodyPublishers.ofString("{}"), "application/json", idempotency());

        assertThat(job.path("id").asText()).isEqualTo("j1");
        assertThat(keys).containsExactly("k-1", "k-1", "k-1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void anOverloadThatDoesNotPassEndsWithTheProblemAfterBoundedAttempts() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        Api api = new Api(serve(100, 503, "0", keys), "fw_test_key_0000000000000000");

        assertThatThrownBy(() -> api.post("/v1/jobs", HttpRequest.BodyPublishers.ofString("{}"), "application/json",
                idempotency())).isInstanceOf(CliException.class).hasMessageContaining("rate_limited");
        assertThat(keys).hasSize(Api.MAX_ATTEMPTS);
    }

    @Test
    void retryAfterIsReadAsSecondsOrADateAndCapped() {
        assertThat(Api.retryAfter("3", 1)).isEqualTo(Duration.ofSeconds(3));
        assertThat(Api.retryAfter("3600", 1)).isEqualTo(Api.MAX_WAIT);
        String inFive = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(Api.retryAfter(inFive, 1)).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
        assertThat(Api.retryAfter(null, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Api.retryAfter("soon", 3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Api.retryAfter("-5", 1)).isEqualTo(Duration.ZERO);
    }
}
