package dev.framewright.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code framewright}: the job API and the lifecycle topic from a terminal. The launcher script calls this jar. */
@Command(name = "framewright", mixinStandardHelpOptions = true, version = "framewright 0.1.0",
        description = "Submit media jobs, follow them live, fetch their outputs.",
        subcommands = {SubmitCommand.class, StatusCommand.class, ListCommand.class, WatchCommand.class,
                DownloadCommand.class, CancelCommand.class, RetryCommand.class, EventsCommand.class,
                AutoComplete.GenerateCompletion.class, LauncherCommands.Dev.class, LauncherCommands.Infra.class,
                LauncherCommands.Build.class, LauncherCommands.Redrive.class},
        footer = {"", "Connection: --api/--key, else FRAMEWRIGHT_API_URL/FRAMEWRIGHT_API_KEY, else api_url=/api_key= in "
                + "~/.config/framewright/config (or $FRAMEWRIGHT_CONFIG), else the local stack and its development key."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success (watch: the job succeeded)",
                "1:the job failed; its error code is printed on stderr",
                "2:usage error: bad arguments, unreadable file or config",
                "3:the API refused the request (its problem's title, code and detail are printed)",
                "4:the API or Kafka cannot be reached",
                "5:the job was canceled",
                "130:interrupted"})
public class Main implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_JOB_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_API = 3;
    public static final int EXIT_UNREACHABLE = 4;
    public static final int EXIT_JOB_CANCELED = 5;
    public static final int EXIT_INTERRUPTED = 130;

    @Mixin
    Connection connection;

    final Map<String, String> env;

    Main(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command line; what a test calls in-process. */
    public static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cli = commandLine(env);
        cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        try {
            return cli.execute(args);
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    static CommandLine commandLine(Map<String, String> env) {
        CommandLine cli = new CommandLine(new Main(env));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException c) {
                commandLine.getErr().println("framewright: " + c.getMessage());
                return c.exitCode;
            }
            commandLine.getErr().println("framewright: unexpected error: " + e);
            return EXIT_API;
        });
        // The completion script is for the launcher's name, however the jar was started.
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cli;
    }

    Api api() {
        return new Api(connection.apiUrl(env), connection.apiKey(env));
    }

    /** Progress redrawn in place only on a real terminal. */
    boolean ansi() {
        return System.console() != null && env.get("TERM") != null && !"dumb".equals(env.get("TERM"))
                && env.get("NO_COLOR") == null && isTerminal();
    }

    private static boolean isTerminal() {
        try {
            // Java 22+ returns a Console even when redirected; isTerminal() tells the truth there.
            return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(System.console());
        } catch (ReflectiveOperationException e) {
            return true; // Java 17-21: a Console exists only on a terminal
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Missing command");
    }
}
