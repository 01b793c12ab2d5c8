package dev.framewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", description = "Upload FILE and submit a job; prints the job id.",
        footer = {"", "Examples:",
                "  framewright submit clip.mp4 --output 720p=video:height=720 --output thumbs=thumbnails:every_seconds=10 --watch",
                "  framewright submit clip.mp4 --output ladder=hls --output meta=probe --label customer=acme",
                "  framewright submit clip.mp4 --spec spec.json",
                "  framewright submit photo.jpg --output thumb=image:width=320 --wait 20"})
class SubmitCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "The media file to upload.")
    Path file;

    @Option(names = "--output", paramLabel = "NAME=TYPE[:PARAM=VALUE,...]",
            description = "An output (repeatable). TYPE: video, hls, thumbnails, image, audio, preview, probe; "
                    + "parameters as in the API's spec, e.g. 720p=video:height=720,crf=23")
    List<String> outputs = List.of();

    @Option(names = "--spec", paramLabel = "JSON_FILE", description = "A job spec as JSON; --output, --queue and "
            + "--label add to it.")
    Path specFile;

    @Option(names = "--queue", paramLabel = "QUEUE", description = "The queue (default: the API's default queue).")
    String queue;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Send again with the same key to get the same job instead of a second one.")
    String idempotencyKey;

    @Option(names = "--watch", description = "Follow the job until it is over; exit 0 only if it succeeded.")
    boolean watch;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "Ask the API to answer only once the job is "
            + "over, if that takes at most SECONDS (Prefer: wait, capped by the API, 30 s by default); exit as "
            + "--watch does when it is over, else print the id (or keep following with --watch).")
    Integer waitSeconds;

    @Option(names = "--start-within", paramLabel = "SECONDS", description = "Fail the job unstarted "
            + "(start_deadline_exceeded) if no worker starts it within SECONDS.")
    Integer startWithin;

    @Option(names = "--json", description = "Print the job document (with --watch: the events, one JSON per line).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException(Main.EXIT_USAGE, "Cannot read " + file);
        }
        ObjectNode spec = spec();
        String boundary = "framewright-" + UUID.randomUUID();
        String filename = file.getFileName().toString().replace("\"", "_");
        String contentType = Files.probeContentType(file);
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"spec\"\r\nContent-Type: application/json\r\n\r\n"
                + Api.JSON.writeValueAsString(spec) + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: " + (contentType != null ? contentType : "application/octet-stream") + "\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString());
        if (waitSeconds != null) {
            if (waitSeconds < 0) {
                throw new CliException(Main.EXIT_USAGE, "--wait must be 0 or more seconds");
            }
            headers.put("Prefer", "wait=" + waitSeconds);
        }
        JsonNode job = main.api().post("/v1/jobs", BodyPublishers.concat(
                        BodyPublishers.ofString(head, StandardCharsets.UTF_8), BodyPublishers.ofFile(file),
                        BodyPublishers.ofString(tail, StandardCharsets.UTF_8)),
                "multipart/form-data; boundary=" + boundary, headers);
        String id = job.path("id").asText();
        if (waitSeconds != null && List.of("succeeded", "failed", "canceled").contains(job.path("status").asText())) {
            // The API waited and answered the finished job: nothing left to follow.
            if (json) {
                printJson(job);
            } else {
                out().println(id);
                out().flush();
            }
            return exitFor(job);
        }
        if (json && !watch) {
            printJson(job);
            return Main.EXIT_OK;
        }
        if (!json) {
            out().println(id);
            out().flush();
        }
        return watch ? watch(id, json) : Main.EXIT_OK;
    }

    private ObjectNode spec() {
        ObjectNode spec;
        if (specFile != null) {
            try {
                JsonNode read = Api.JSON.readTree(specFile.toFile());
                if (!(read instanceof ObjectNode)) {
                    throw new CliException(Main.EXIT_USAGE, specFile + " is not a JSON object");
                }
                spec = (ObjectNode) read;
            } catch (IOException e) {
                throw new CliException(Main.EXIT_USAGE, "Cannot read the spec " + specFile + ": " + e.getMessage());
            }
        } else {
            spec = Api.JSON.createObjectNode();
        }
        ArrayNode list = spec.has("outputs") && spec.get("outputs").isArray() ? (ArrayNode) spec.get("outputs")
                : spec.putArray("outputs");
        outputs.forEach(o -> list.add(OutputArg.parse(o)));
        if (list.isEmpty()) {
            throw new CliException(Main.EXIT_USAGE, "Name at least one --output, e.g. --output 720p=video:height=720");
        }
        if (queue != null) {
            spec.put("queue", queue);
        }
        if (startWithin != null) {
            spec.put("start_within_seconds", startWithin);
        }
        if (!labels.isEmpty()) {
            ObjectNode l = spec.has("labels") && spec.get("labels").isObject() ? (ObjectNode) spec.get("labels")
                    : spec.putObject("labels");
            labels.forEach(l::put);
        }
        return spec;
    }
}
