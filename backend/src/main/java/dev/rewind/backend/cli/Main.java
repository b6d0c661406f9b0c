package dev.rewind.backend.cli;

import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rewind} command line. */
@Command(name = "rewind", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Time-travel debugging through process checkpoints: checkpoint a running program "
                + "(threads included) in about the time of a fork, and restart it from any checkpoint, as often as you like.")
public final class Main implements Runnable {
    /** Every subcommand, in the order {@code rewind --help} lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, HoldCommand.class, BenchCommand.class, ServeCommand.class,
            CallCommand.class, ReplayCommand.class, GdbServerCommand.class, GdbInitCommand.class, GdbCommand.class, ImageCommand.class, CdsTrainingCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("gdbserver")) {
            GdbServerCommand quick = GdbServerCommand.parseQuickly(List.of(args).subList(1, args.length));
            if (quick != null) {
                System.exit(runQuickly(quick));
            }
        }
        CommandLine cl = commandLine(args.length == 0 ? null : args[0]);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("rewind: " + e.getMessage());
            return 2;
        });
        System.exit(cl.execute(args));
    }

    /** Runs a command parsed without picocli, failing as picocli's handler below does. */
    private static int runQuickly(java.util.concurrent.Callable<Integer> command) {
        try {
            return command.call();
        } catch (Exception e) {
            System.err.println("rewind: " + e.getMessage());
            return 2;
        }
    }

    /**
     * The command line with only the subcommand named {@code first} when there is one, else with all of them. Picocli builds
     * the model of every registered command by reflection, which took ~190 ms of a ~300 ms start-up here (interpreted, before
     * the JIT), and gdb waits for that start-up at every {@code target extended-remote | rewind gdbserver}.
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Main());
        List<Class<?>> chosen = SUBCOMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(first)).toList();
        for (Class<?> subcommand : chosen.isEmpty() || first.equals("help") ? SUBCOMMANDS : chosen) {
            cl.addSubcommand(subcommand);
        }
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
