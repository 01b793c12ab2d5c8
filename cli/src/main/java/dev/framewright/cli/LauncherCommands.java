package dev.framewright.cli;

import picocli.CommandLine.Command;

/**
 * The launcher's own commands, listed here so that help and shell completion show them; the {@code framewright}
 * script runs them itself (they start the local stack, build, redrive) and never passes them to this jar.
 */
final class LauncherCommands {

    private LauncherCommands() {
    }

    abstract static class LauncherOnly implements Runnable {
        @Override
        public void run() {
            throw new CliException(Main.EXIT_USAGE, "run this command through the ./framewright launcher");
        }
    }

    @Command(name = "dev", description = "Run Kafka, PostgreSQL, S3 and the three services (launcher).")
    static class Dev extends LauncherOnly {
    }

    @Command(name = "infra", description = "Run only Kafka, PostgreSQL and S3 (launcher).")
    static class Infra extends LauncherOnly {
    }

    @Command(name = "build", description = "Build every module, skipping tests (launcher).")
    static class Build extends LauncherOnly {
    }

    @Command(name = "redrive", description = "Publish dead-lettered job requests again (launcher).")
    static class Redrive extends LauncherOnly {
    }
}
