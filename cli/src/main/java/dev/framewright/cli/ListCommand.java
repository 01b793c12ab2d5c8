package dev.framewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List jobs, newest first.")
class ListCommand extends ApiCommand {

    @Option(names = "--status", paramLabel = "STATUS", description = "queued, running, succeeded, failed or canceled")
    String status;

    @Option(names = "--queue", paramLabel = "QUEUE")
    String queue;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Only jobs with this label (repeatable; all must match).")
    List<String> labels = List.of();

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Jobs per page, 1-100 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "The next page, as a previous listing gave it.")
    String cursor;

    @Option(names = "--json", description = "Print the API's answer: {jobs, next_cursor}.")
    boolean json;

    @Override
    public Integer call() {
        List<String> query = new ArrayList<>();
        query.add("limit=" + limit);
        if (status != null) {
            query.add("status=" + encode(status));
        }
        if (queue != null) {
            query.add("queue=" + encode(queue));
        }
        for (String label : labels) {
            // The API takes key:value; key=value reads more naturally on a command line.
            int eq = label.indexOf('=');
            query.add("label=" + encode(eq > 0 && label.indexOf(':') < 0 ? label.substring(0, eq) + ":"
                    + label.substring(eq + 1) : label));
        }
        if (cursor != null) {
            query.add("cursor=" + encode(cursor));
        }
        JsonNode page = main.api().get("/v1/jobs?" + String.join("&", query));
        if (json) {
            printJson(page);
            return Main.EXIT_OK;
        }
        var out = out();
        out.println(String.format(Locale.ROOT, "%-36s  %-9s %4s  %-10s %-20s %s", "ID", "STATUS", "%", "QUEUE",
                "CREATED", "LABELS"));
        for (JsonNode job : page.path("jobs")) {
            StringBuilder labelText = new StringBuilder();
            job.path("labels").fields().forEachRemaining(l -> labelText.append(labelText.length() > 0 ? "," : "")
                    .append(l.getKey()).append('=').append(l.getValue().asText()));
            String created = job.path("created_at").asText();
            out.println(String.format(Locale.ROOT, "%-36s  %-9s %4.0f  %-10s %-20s %s", job.path("id").asText(),
                    job.path("status").asText(), job.path("progress").path("percent").asDouble(),
                    job.path("queue").asText(), created.length() > 19 ? created.substring(0, 19) : created,
                    labelText).stripTrailing());
        }
        if (page.hasNonNull("next_cursor")) {
            out.println("more: framewright list --cursor " + page.get("next_cursor").asText());
        }
        out.flush();
        return Main.EXIT_OK;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String units = "KMGTPE";
        int u = (int) (Math.log(n) / Math.log(1024));
        return String.format(Locale.ROOT, "%.1f %siB", n / Math.pow(1024, u), units.charAt(u - 1));
    }
}
