package dev.framewright.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every API command shares: the connection, stdout/stderr, JSON printing and the exit code of a job. */
abstract class ApiCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void printJson(JsonNode node) {
        try {
            out().println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out().flush();
    }

    /** A job id as the API has it; anything else is a usage error before a request is made. */
    static String jobId(String id) {
        try {
            return UUID.fromString(id.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.EXIT_USAGE, "Not a job id: '" + id + "'");
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** 0, or the failed/canceled code with the job's error code on stderr. */
    int exitFor(JsonNode job) {
        switch (job.path("status").asText()) {
            case "succeeded":
                return Main.EXIT_OK;
            case "canceled":
                return Main.EXIT_JOB_CANCELED;
            default:
                JsonNode error = job.path("error");
                err().println("framewright: job " + job.path("id").asText() + " failed: "
                        + error.path("code").asText("unknown") + ": " + error.path("message").asText(""));
                for (JsonNode o : job.path("outputs")) {
                    if (o.hasNonNull("error")) {
                        err().println("  " + o.path("name").asText() + ": " + o.path("error").path("code").asText()
                                + ": " + o.path("error").path("message").asText());
                    }
                }
                err().flush();
                return Main.EXIT_JOB_FAILED;
        }
    }

    int watch(String id, boolean json) {
        JsonNode job = new Watcher(main.api(), out(), !json && main.ansi(), json).watch(id);
        return exitFor(job);
    }
}
