package dev.framewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The job API over java.net.http: JSON in and out, problem+json turned into {@link CliException}s. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String base;
    private final String key;
    // Redirects are followed by hand: a presigned URL must not receive the API key.
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    Api(String base, String key) {
        this.base = base;
        this.key = key;
    }

    String base() {
        return base;
    }

    JsonNode get(String path) {
        return json(send(request(path).GET()));
    }

    JsonNode delete(String path) {
        return json(send(request(path).DELETE()));
    }

    JsonNode post(String path, HttpRequest.BodyPublisher body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = request(path).POST(body).header("Content-Type", contentType);
        headers.forEach(request::header);
        return json(send(request));
    }

    /** A streamed GET (downloads, Server-Sent Events); a 307 to object storage is followed without the key. */
    HttpResponse<InputStream> stream(String path, Map<String, String> headers) {
        HttpRequest.Builder request = request(path).GET();
        headers.forEach(request::header);
        HttpResponse<InputStream> response = sendStreaming(request.build());
        if (response.statusCode() == 307 || response.statusCode() == 302) {
            String location = response.headers().firstValue("Location")
                    .orElseThrow(() -> new CliException(Main.EXIT_API, "Redirect without a Location from " + path));
            close(response);
            response = sendStreaming(HttpRequest.newBuilder(URI.create(base + path).resolve(location)).GET().build());
        }
        if (response.statusCode() >= 400) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                body = new byte[0];
            }
            throw problem(response.statusCode(), body);
        }
        return response;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
                .header("Accept", "application/json, application/problem+json");
    }

    /** Attempts of one request refused with 429 or 503 before giving up; waits are {@code Retry-After}, capped. */
    static final int MAX_ATTEMPTS = 6;
    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    static final Duration TOTAL_WAIT = Duration.ofMinutes(2);

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.timeout(Duration.ofMinutes(10)).build();
            Duration waited = Duration.ZERO;
            for (int attempt = 1; ; attempt++) {
                HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if ((status == 429 || status == 503) && attempt < MAX_ATTEMPTS) {
                    // Both mean "not done, come back later" (rate limit, queued-job cap, overload, a publish that
                    // timed out); a submission carries an Idempotency-Key, so sending it again cannot make two jobs.
                    Duration wait = retryAfter(response.headers().firstValue("Retry-After").orElse(null), attempt);
                    if (waited.plus(wait).compareTo(TOTAL_WAIT) <= 0) {
                        System.err.printf("%s: HTTP %d, retrying in %d s%n", built.uri().getPath(), status,
                                Math.max(1, wait.toSeconds()));
                        Thread.sleep(wait.toMillis());
                        waited = waited.plus(wait);
                        continue;
                    }
                }
                if (status >= 400) {
                    throw problem(status, response.body());
                }
                return response;
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Main.EXIT_INTERRUPTED, "Interrupted");
        }
    }

    /**
     * How long to wait before attempt {@code attempt + 1}: the server's {@code Retry-After} (seconds or an HTTP
     * date), else 1, 2, 4, … s; never more than {@link #MAX_WAIT}.
     */
    static Duration retryAfter(String header, int attempt) {
        Duration wait = null;
        if (header != null) {
            String value = header.trim();
            try {
                wait = Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
            } catch (NumberFormatException notSeconds) {
                try {
                    wait = Duration.between(java.time.Instant.now(), java.time.ZonedDateTime.parse(value,
                            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                } catch (java.time.format.DateTimeParseException notDate) {
                    wait = null;
                }
            }
        }
        if (wait == null) {
            wait = Duration.ofSeconds(1L << Math.min(attempt - 1, 5));
        }
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    private HttpResponse<InputStream> sendStreaming(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Main.EXIT_INTERRUPTED, "Interrupted");
        }
    }

    private CliException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "connection refused"
                : e instanceof HttpTimeoutException ? "timed out" : String.valueOf(e.getMessage());
        return new CliException(Main.EXIT_UNREACHABLE, "Cannot reach the API at " + base + " (" + why
                + "). Is the stack running (./framewright dev)? Set --api or FRAMEWRIGHT_API_URL.");
    }

    /** "Title (code): detail" plus each invalid field: never a stack trace. */
    static CliException problem(int status, byte[] body) {
        StringBuilder message = new StringBuilder();
        try {
            JsonNode p = JSON.readTree(body);
            message.append(p.path("title").asText("HTTP " + status));
            if (p.hasNonNull("code")) {
                message.append(" (").append(p.get("code").asText()).append(')');
            }
            if (p.hasNonNull("detail")) {
                message.append(": ").append(p.get("detail").asText());
            }
            for (JsonNode error : p.path("errors")) {
                message.append(System.lineSeparator()).append("  ").append(error.path("field").asText())
                        .append(": ").append(error.path("message").asText());
            }
        } catch (IOException | RuntimeException e) {
            message.setLength(0);
            message.append("HTTP ").append(status);
            String text = new String(body, StandardCharsets.UTF_8).strip();
            if (!text.isEmpty() && text.length() < 300) {
                message.append(": ").append(text);
            }
        }
        return new CliException(Main.EXIT_API, message.toString());
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliException(Main.EXIT_API, "The API answered something that is not JSON: " + e.getMessage());
        }
    }

    static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }
}
