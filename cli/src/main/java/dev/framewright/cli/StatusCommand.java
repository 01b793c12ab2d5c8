package dev.framewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Show a job: status, progress, input, outputs, error.")
class StatusCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--json", description = "Print the job document as the API returns it.")
    boolean json;

    @Override
    public Integer call() {
        JsonNode job = main.api().get("/v1/jobs/" + jobId(id));
        if (json) {
            printJson(job);
            return Main.EXIT_OK;
        }
        var out = out();
        JsonNode p = job.path("progress");
        row("job", job.path("id").asText());
        String progress = job.path("status").asText()
                + String.format(Locale.ROOT, "  %.0f%%", p.path("percent").asDouble())
                + (p.hasNonNull("stage") && !Watcher.TERMINAL.contains(job.path("status").asText())
                        ? "  " + p.get("stage").asText() : "")
                + (p.hasNonNull("eta_seconds") && !Watcher.TERMINAL.contains(job.path("status").asText())
                        ? "  ETA " + Watcher.duration(p.get("eta_seconds").asDouble()) : "");
        row("status", progress);
        row("queue", job.path("queue").asText());
        if (job.path("labels").size() > 0) {
            StringBuilder labels = new StringBuilder();
            job.path("labels").fields().forEachRemaining(l -> labels.append(labels.length() > 0 ? ", " : "")
                    .append(l.getKey()).append('=').append(l.getValue().asText()));
            row("labels", labels.toString());
        }
        row("created", job.path("created_at").asText());
        if (job.hasNonNull("finished_at")) {
            row("finished", job.path("finished_at").asText());
        }
        JsonNode input = job.path("input");
        if (!input.isMissingNode()) {
            row("input", input.path("filename").asText("?") + "  " + input.path("content_type").asText("")
                    + "  " + ListCommand.bytes(input.path("size").asLong()) + media(input.path("media")));
        }
        if (job.hasNonNull("error")) {
            row("error", job.path("error").path("code").asText() + ": " + job.path("error").path("message").asText());
        }
        out.println("outputs");
        for (JsonNode o : job.path("outputs")) {
            String line = String.format(Locale.ROOT, "  %-16s %-11s %-10s", o.path("name").asText(),
                    o.path("type").asText(), o.path("status").asText());
            if (o.hasNonNull("error")) {
                line += o.path("error").path("code").asText() + ": " + o.path("error").path("message").asText();
            } else if (o.path("files").size() > 0) {
                line += o.path("files").size() + " file(s)  " + main.api().base() + o.path("url").asText();
            }
            out.println(line.stripTrailing());
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private void row(String name, String value) {
        out().println(String.format(Locale.ROOT, "%-9s %s", name, value));
    }

    /** "(10.0 s, h264 1280x720, aac)" from what the input decoded to. */
    static String media(JsonNode media) {
        if (media.isMissingNode() || media.isNull()) {
            return "";
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (media.hasNonNull("duration_seconds")) {
            parts.add(String.format(Locale.ROOT, "%.1f s", media.get("duration_seconds").asDouble()));
        }
        if (media.hasNonNull("video_codec")) {
            parts.add(media.get("video_codec").asText() + " " + media.path("width").asInt() + "x"
                    + media.path("height").asInt());
        }
        if (media.hasNonNull("audio_codec")) {
            parts.add(media.get("audio_codec").asText());
        }
        return parts.isEmpty() ? "" : "  (" + String.join(", ", parts) + ")";
    }
}
