package dev.rewind.backend.cli;

import dev.rewind.backend.checkpoint.CheckpointReason;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.checkpoint.OutputLog;
import dev.rewind.backend.checkpoint.RestartResult;
import dev.rewind.backend.checkpoint.TimelineEntry;
import dev.rewind.backend.trace.LaunchRequest;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The main job on a bundled sample: launch it, checkpoint at a few points, let it run on,
 * restart from earlier checkpoints (one of them twice), and show that each restart carries on
 * exactly from its checkpoint. Exits 1 if any restart does not.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the bundled sample program, checkpoint it, restart it from earlier checkpoints, and show the timeline.")
final class DemoCommand implements Callable<Integer> {
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(10);

    private final PrintStream out = System.out;
    private int consumed;

    @Override
    public Integer call() {
        BundledProgram bundled = BundledProgram.unpack("rewind-demo");
        Path program = bundled.executable();
        try (Engine engine = new Engine()) {
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
            Debuggee d = engine.launch(new LaunchRequest(program.toString(), List.of(), null, null,
                    List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE)), false);
            out.println("launched the sample (pid " + d.pid() + "); each byte on its stdin is one step");
            next(d);
            steps(d, 3);
            TimelineEntry a = d.checkpoint("after step 3", CheckpointReason.MANUAL);
            out.printf("checkpoint %s taken: downtime %d us%n", a.crid(), a.downtimeMicros());
            List<String> afterA = steps(d, 3);
            TimelineEntry b = d.checkpoint("after step 6", CheckpointReason.MANUAL);
            out.printf("checkpoint %s taken: downtime %d us%n", b.crid(), b.downtimeMicros());
            List<String> afterB = steps(d, 2);

            boolean ok = true;
            ok &= restartAndCompare(d, a, afterA.get(0));
            ok &= restartAndCompare(d, a, afterA.get(0));
            ok &= restartAndCompare(d, b, afterB.get(0));

            out.println("timeline:");
            TimelinePrinter.print(out, d.timeline());
            out.println(ok ? "demo passed: every restart carried on from its checkpoint"
                    : "demo FAILED: a restart did not carry on from its checkpoint");
            d.kill();
            return ok ? 0 : 1;
        } finally {
            bundled.delete();
        }
    }

    private boolean restartAndCompare(Debuggee d, TimelineEntry from, String expected) {
        RestartResult r = d.restart(from.crid());
        out.printf("restarted from checkpoint %s (%s) in %d us, pid %d%s%n", from.crid(), from.label(), r.restartMicros(),
                r.pid(), r.warnings().isEmpty() ? "" : " warnings: " + r.warnings());
        String got = steps(d, 1).get(0);
        boolean same = got.equals(expected);
        out.printf("  next step after restart: \"%s\" (first run: \"%s\") %s%n", got, expected, same ? "same" : "DIFFERENT");
        return same;
    }

    private List<String> steps(Debuggee d, int n) {
        d.writeStdin("x".repeat(n).getBytes(StandardCharsets.US_ASCII));
        List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String line = next(d);
            out.println("  debuggee: " + line);
            got.add(line);
        }
        return got;
    }

    private String next(Debuggee d) {
        OutputLog log = d.stdout();
        return log.awaitLine(consumed++, LINE_TIMEOUT);
    }
}
