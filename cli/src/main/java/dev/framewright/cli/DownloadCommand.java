package dev.framewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "download", description = "Download every file of a job's outputs (or of the one named) into "
        + "DIR/NAME/.")
class DownloadCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1", paramLabel = "NAME", arity = "0..1", description = "One output (default: every "
            + "output that succeeded).")
    String name;

    @Option(names = {"-o", "--dir"}, paramLabel = "DIR", defaultValue = ".", description = "Where to put them "
            + "(default: the current directory).")
    Path dir;

    @Option(names = "--json", description = "Print what was saved as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        String jobId = jobId(id);
        Api api = main.api();
        JsonNode job = api.get("/v1/jobs/" + jobId);
        ArrayNode saved = Api.JSON.createArrayNode();
        boolean found = false;
        for (JsonNode output : job.path("outputs")) {
            String outputName = output.path("name").asText();
            if (name != null && !name.equals(outputName)) {
                continue;
            }
            found = true;
            if (!"succeeded".equals(output.path("status").asText())) {
                if (name != null) {
                    throw new CliException(Main.EXIT_API, "Output '" + name + "' is " + output.path("status").asText()
                            + ", not succeeded: nothing to download");
                }
                err().println("skipping " + outputName + " (" + output.path("status").asText() + ")");
                continue;
            }
            for (JsonNode file : output.path("files")) {
                Path target = dir.resolve(outputName).resolve(file.path("path").asText()).normalize();
                if (!target.startsWith(dir.resolve(outputName).normalize())) {
                    throw new CliException(Main.EXIT_API, "Refusing a file path outside its folder: " + file.path("path"));
                }
                Files.createDirectories(target.getParent());
                HttpResponse<InputStream> response = api.stream(file.path("url").asText(), Map.of());
                try (InputStream in = response.body()) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                saved.addObject().put("output", outputName).put("path", file.path("path").asText())
                        .put("file", target.toString()).put("size", Files.size(target));
                if (!json) {
                    out().println(target + "  " + ListCommand.bytes(Files.size(target)));
                    out().flush();
                }
            }
        }
        if (name != null && !found) {
            throw new CliException(Main.EXIT_API, "Job " + jobId + " has no output '" + name + "'");
        }
        if (json) {
            printJson(saved);
        }
        return Main.EXIT_OK;
    }
}
