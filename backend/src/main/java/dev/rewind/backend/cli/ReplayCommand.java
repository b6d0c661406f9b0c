package dev.rewind.backend.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rewind replay SCRIPT}: runs a replay script (docs/replay.md) against an in-process backend. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Run a replay script (JSON, see docs/replay.md): launch a program, set breakpoints, run to them,",
            "checkpoint, restart from checkpoints as often as asked, read memory, compare output, and assert.",
            "Prints a report; exit status 0 when every step passed, 1 on a failed step, 2 on a bad script."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCRIPT", description = "the script (JSON)")
    Path script;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "set a script variable, e.g. --set bin=/tmp/bin")
    Map<String, String> vars = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        String text;
        try {
            text = Files.readString(script);
        } catch (IOException e) {
            System.err.println("rewind replay: cannot read " + script + ": " + e.getMessage());
            return 2;
        }
        ReplayScript parsed;
        try {
            parsed = ReplayScript.parse(text, script.toAbsolutePath().getParent(), vars);
        } catch (ReplayScript.BadScript e) {
            System.err.println("rewind replay: " + script + ": " + e.getMessage());
            return 2;
        }
        try (ReplayRunner runner = ReplayRunner.start(System.out)) {
            return runner.run(parsed);
        }
    }
}
