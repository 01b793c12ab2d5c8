package dev.framewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", description = "Cancel a job: a queued one at once, a running one within seconds.")
class CancelCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--json", description = "Print the job document.")
    boolean json;

    @Override
    public Integer call() {
        JsonNode job = main.api().delete("/v1/jobs/" + jobId(id));
        if (json) {
            printJson(job);
        } else {
            out().println(job.path("id").asText() + " " + job.path("status").asText());
        }
        return Main.EXIT_OK;
    }
}
