package dev.rewind.backend.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rewind bench ...}: benchmarks, kept apart from the tests. Each prints ratios against a peer run alongside. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that measure Rewind against a peer in the same run.",
        subcommands = {BenchCheckpointCommand.class, BenchGdbServerCommand.class, BenchTreeCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
