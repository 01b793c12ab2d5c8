package dev.framewright.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", description = "Follow a job live (progress per output, stage, fps, ETA) until it is over; "
        + "exit 0 only if it succeeded.")
class WatchCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--json", description = "Print each event of the job's stream as one JSON line.")
    boolean json;

    @Override
    public Integer call() {
        return watch(jobId(id), json);
    }
}
