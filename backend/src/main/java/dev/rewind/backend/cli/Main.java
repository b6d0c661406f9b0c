package dev.rewind.backend.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rewind} command line. */
@Command(name = "rewind", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Time-travel debugging through process checkpoints: checkpoint a running program "
                + "(threads included) in about the time of a fork, and restart it from any checkpoint, as often as you like.",
        subcommands = {DemoCommand.class, HoldCommand.class, BenchCommand.class, ServeCommand.class, CallCommand.class, ReplayCommand.class, GdbServerCommand.class,
                GdbInitCommand.class, GdbCommand.class, ImageCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("rewind: " + e.getMessage());
            return 2;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
