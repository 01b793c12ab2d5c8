package dev.framewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "retry", description = "Run a failed or canceled job's unfinished outputs again.")
class RetryCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--all", description = "Every output, also those that succeeded.")
    boolean all;

    @Option(names = "--watch", description = "Follow the job until it is over.")
    boolean watch;

    @Option(names = "--json", description = "Print the job document.")
    boolean json;

    @Override
    public Integer call() {
        String jobId = jobId(id);
        JsonNode job = main.api().post("/v1/jobs/" + jobId + "/retry",
                BodyPublishers.ofString(all ? "{\"all\":true}" : "{}"), "application/json", Map.of());
        if (json && !watch) {
            printJson(job);
            return Main.EXIT_OK;
        }
        if (!json) {
            out().println(job.path("id").asText() + " " + job.path("status").asText());
        }
        return watch ? watch(jobId, json) : Main.EXIT_OK;
    }
}
