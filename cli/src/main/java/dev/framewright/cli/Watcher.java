package dev.framewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Follows a job over {@code GET /v1/jobs/{id}/events} (Server-Sent Events), resuming with {@code Last-Event-ID}
 * when the connection drops, and draws its progress: on a terminal, one line per output redrawn in place; otherwise
 * one line whenever the whole percent or the stage changes (logs and pipes stay readable).
 */
final class Watcher {

    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");
    private static final Set<String> TERMINAL_EVENTS = Set.of("completed", "failed", "canceled");
    private static final int BAR = 24;
    private static final int MAX_RECONNECTS = 20;

    private final Api api;
    private final PrintWriter out;
    private final boolean ansi;
    private final boolean json;

    private final Map<String, Double> outputPercent = new LinkedHashMap<>();
    private final Map<String, String> outputStatus = new LinkedHashMap<>();
    private final Map<String, String> outputType = new LinkedHashMap<>();
    private String status = "queued";
    private double percent;
    private String stage;
    private double fps;
    private Double eta;
    private int drawnLines;
    private String lastPlain;

    Watcher(Api api, PrintWriter out, boolean ansi, boolean json) {
        this.api = api;
        this.out = out;
        this.ansi = ansi;
        this.json = json;
    }

    /** Watches until the job is over; returns its final document. */
    JsonNode watch(String id) {
        JsonNode job = api.get("/v1/jobs/" + id);
        fold(job);
        String lastEventId = null;
        int reconnects = 0;
        // --json prints the job's events, so even a finished job has its stream read once: the API replays the
        // history and closes after the terminal event.
        boolean over = !json && TERMINAL.contains(status);
        while (!over) {
            Map<String, String> headers = lastEventId == null ? Map.of() : Map.of("Last-Event-ID", lastEventId);
            HttpResponse<InputStream> response = api.stream("/v1/jobs/" + id + "/events",
                    with(headers, "Accept", "text/event-stream"));
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String eventId = null;
                String event = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            if (eventId != null) {
                                lastEventId = eventId;
                            }
                            over = onEvent(event, data.toString()) || over;
                            reconnects = 0;
                        }
                        eventId = null;
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith(":")) {
                        continue; // comment: the stream's greeting or a keep-alive
                    } else {
                        int colon = line.indexOf(':');
                        String field = colon < 0 ? line : line.substring(0, colon);
                        String value = colon < 0 ? "" : line.substring(colon + 1);
                        if (value.startsWith(" ")) {
                            value = value.substring(1);
                        }
                        switch (field) {
                            case "id" -> eventId = value;
                            case "event" -> event = value;
                            case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
                            default -> { }
                        }
                    }
                }
            } catch (IOException e) {
                // dropped: resume below
            }
            // The stream ended. After a terminal event that is the end, unless the job was retried since (the
            // history holds the old attempt's terminal event); otherwise (a restart, a proxy timeout) resume after
            // the last event seen.
            boolean sawTerminal = over;
            over = TERMINAL.contains(api.get("/v1/jobs/" + id).path("status").asText());
            if (!over && !sawTerminal) {
                if (++reconnects > MAX_RECONNECTS) {
                    throw new CliException(Main.EXIT_UNREACHABLE, "Lost the event stream of job " + id);
                }
                sleep(Math.min(5000, 250L * reconnects));
            } else if (!over) {
                sleep(200);
            }
        }
        job = api.get("/v1/jobs/" + id);
        fold(job);
        if (!json) {
            draw(true);
            summary(job);
        }
        out.flush();
        return job;
    }

    /** @return whether it was the terminal event */
    private boolean onEvent(String event, String data) {
        if (json) {
            out.println(data);
            out.flush();
        }
        JsonNode e;
        try {
            e = Api.JSON.readTree(data);
        } catch (IOException ex) {
            return false;
        }
        String type = event != null ? event : e.path("type").asText();
        status = e.path("job").path("status").asText(status);
        switch (type) {
            case "started" -> {
                outputStatus.replaceAll((k, v) -> "running");
                stage = "starting";
            }
            case "progress" -> {
                percent = e.path("percent").asDouble(percent);
                stage = e.path("stage").asText(stage);
                fps = e.path("fps").asDouble();
                eta = e.hasNonNull("eta_seconds") ? e.get("eta_seconds").asDouble() : null;
                e.path("outputs").fields().forEachRemaining(o -> {
                    outputPercent.put(o.getKey(), o.getValue().asDouble());
                    outputStatus.put(o.getKey(), "running");
                });
            }
            default -> { }
        }
        if (!json) {
            draw(false);
        }
        return TERMINAL_EVENTS.contains(type);
    }

    private void fold(JsonNode job) {
        status = job.path("status").asText(status);
        JsonNode progress = job.path("progress");
        percent = "succeeded".equals(status) ? 100 : progress.path("percent").asDouble(percent);
        stage = progress.hasNonNull("stage") ? progress.get("stage").asText() : stage;
        fps = progress.path("fps").asDouble(fps);
        eta = progress.hasNonNull("eta_seconds") ? Double.valueOf(progress.get("eta_seconds").asDouble()) : eta;
        for (JsonNode o : job.path("outputs")) {
            String name = o.path("name").asText();
            outputType.put(name, o.path("type").asText());
            outputStatus.put(name, o.path("status").asText());
            double p = o.hasNonNull("progress") ? o.get("progress").asDouble() : outputPercent.getOrDefault(name, 0.0);
            outputPercent.put(name, "succeeded".equals(o.path("status").asText()) ? 100.0 : p);
        }
    }

    private void draw(boolean last) {
        if (!ansi) {
            String line = String.format(Locale.ROOT, "%s %3d%% %s", status, (int) Math.floor(percent),
                    stage == null ? "" : stage);
            if (!line.equals(lastPlain) || last) {
                lastPlain = line;
                StringBuilder full = new StringBuilder(line);
                if (fps > 0 && !TERMINAL.contains(status)) {
                    full.append(String.format(Locale.ROOT, " %.0f fps", fps));
                }
                if (eta != null && !TERMINAL.contains(status)) {
                    full.append(" ETA ").append(duration(eta));
                }
                outputPercent.forEach((name, p) -> full.append(String.format(Locale.ROOT, " | %s %d%%", name,
                        (int) Math.floor(p))));
                out.println(full.toString().replaceAll(" +", " "));
                out.flush();
            }
            return;
        }
        List<String> lines = new ArrayList<>();
        int width = Math.max(4, outputPercent.keySet().stream().mapToInt(String::length).max().orElse(4));
        lines.add(line("job", width, percent, status, true));
        outputPercent.forEach((name, p) -> lines.add(line(name, width, p, outputStatus.getOrDefault(name, status),
                "running".equals(outputStatus.get(name)))));
        StringBuilder frame = new StringBuilder();
        if (drawnLines > 0) {
            frame.append("\033[").append(drawnLines).append('F');
        }
        for (String l : lines) {
            frame.append("\033[2K").append(l).append('\n');
        }
        drawnLines = lines.size();
        out.print(frame);
        out.flush();
    }

    private String line(String name, int width, double p, String state, boolean details) {
        int filled = (int) Math.round(Math.max(0, Math.min(100, p)) / 100 * BAR);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s [%s%s] %3d%%  %-9s", name,
                "#".repeat(filled), ".".repeat(BAR - filled), (int) Math.floor(p), state));
        if (details && !TERMINAL.contains(status) && stage != null) {
            s.append("  ").append(stage);
            if (fps > 0) {
                s.append(String.format(Locale.ROOT, "  %.0f fps", fps));
            }
            if (eta != null) {
                s.append("  ETA ").append(duration(eta));
            }
        }
        return s.toString();
    }

    private void summary(JsonNode job) {
        switch (job.path("status").asText()) {
            case "succeeded" -> out.println("succeeded: " + job.path("outputs").size() + " output(s); "
                    + "framewright download " + job.path("id").asText());
            case "canceled" -> out.println("canceled");
            default -> { }
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return all;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Main.EXIT_INTERRUPTED, "Interrupted");
        }
    }
}
