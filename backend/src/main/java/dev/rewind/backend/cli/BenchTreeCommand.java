package dev.rewind.backend.cli;

import dev.rewind.backend.checkpoint.CheckpointReason;
import dev.rewind.backend.checkpoint.Crid;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.checkpoint.RestartResult;
import dev.rewind.backend.checkpoint.TimelineEntry;
import dev.rewind.backend.trace.LaunchRequest;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Checkpoint downtime and restart latency of a whole process tree (issue 6), against the sum of
 * the bare {@code fork()} costs of the same processes and against the cost of copying each
 * child's heap (what a transplant does), in one run. A benchmark, not a test: only errors (a
 * checkpoint that misses processes of the tree, a restart that brings back the wrong state) give a
 * non-zero status.
 */
@Command(name = "tree", mixinStandardHelpOptions = true,
        description = "Measure tree checkpoint downtime and restart latency for trees of P processes of M MiB each, "
                + "against the sum of their bare fork() costs and the transplant copy cost.")
final class BenchTreeCommand implements Callable<Integer> {
    static final Duration LINE_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern READY = Pattern.compile("ready procs (\\d+) round (\\d+) rounds (\\S+) pids (\\S+)");

    @Option(names = "--procs", split = ",", paramLabel = "P", defaultValue = "1,4,16",
            description = "Tree sizes in processes, the root included (default: ${DEFAULT-VALUE}).")
    private List<Integer> procs;

    @Option(names = "--mib", paramLabel = "M", defaultValue = "64",
            description = "Touched private heap per process in MiB (default: ${DEFAULT-VALUE}).")
    private int mib;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Measured runs per tree size, after one warm-up run (default: ${DEFAULT-VALUE}).")
    private int runs;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        if (runs < 1 || mib < 1 || procs.isEmpty() || procs.stream().anyMatch(p -> p < 1 || p > 256)) {
            throw new IllegalArgumentException("--runs and --mib must be positive, every --procs in 1..256");
        }
        long started = System.nanoTime();
        BundledProgram program = BundledProgram.unpack("rewind-bench-tree");
        Map<Integer, BenchTreeResults> results = new LinkedHashMap<>();
        Set<String> notes = new LinkedHashSet<>();
        try (Engine engine = new Engine()) {
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
            for (int p : procs) {
                out.printf("measuring %d process%s of %d MiB: 1 warm-up run + %d runs ...%n", p, p == 1 ? "" : "es",
                        mib, runs);
                out.flush();
                BenchTreeResults r = new BenchTreeResults(p, mib);
                baseline(program, p, r);
                underRewind(engine, program, p, r, notes);
                results.put(p, r);
            }
        } finally {
            program.delete();
        }
        out.println();
        new BenchTreeReport(out, runs, mib).print(results);
        for (String n : notes) {
            out.println("note: " + n);
        }
        out.printf("bench took %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** The same tree run untraced: its bare forks and its heap copies. */
    private void baseline(BundledProgram program, int p, BenchTreeResults r) {
        try (BenchTreePlain plain = new BenchTreePlain(program.executable(), p, mib)) {
            for (int run = 0; run <= runs; run++) {
                BenchTreeResults into = run == 0 ? new BenchTreeResults(p, mib) : r;
                long[] fork = plain.askNumbers('f', "fork", 3);
                into.forkSum.add(fork[0]);
                into.forkMax.add(fork[1]);
                into.forkRoot.add(fork[2]);
                long[] copy = plain.askNumbers('c', "copy", 4);
                if (p > 1) {
                    into.copyChildrenMemcpy.add(copy[0]);
                    into.copyChildrenPwrite.add(copy[1]);
                }
                into.copyOneMemcpy.add(copy[2]);
                into.copyOnePwrite.add(copy[3]);
            }
        }
    }

    private void underRewind(Engine engine, BundledProgram program, int p, BenchTreeResults r, Set<String> notes) {
        Debuggee d = engine.launch(new LaunchRequest(program.executable().toString(),
                List.of(Integer.toString(p), Integer.toString(mib)), null, null,
                List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE)), false);
        int[] consumed = {0};
        try {
            String first = d.stdout().awaitLine(consumed[0]++, LINE_TIMEOUT);
            if (!first.startsWith("ready pid ")) {
                throw new IllegalStateException("unexpected first line from the benchmark program: " + first);
            }
            for (int run = 0; run <= runs; run++) {
                BenchTreeResults into = run == 0 ? new BenchTreeResults(p, mib) : r;
                Ready before = ready(d, consumed, p);
                settle();
                TimelineEntry e = d.checkpoint("bench-tree", CheckpointReason.MANUAL);
                Crid crid = e.crid();
                if (e.processes().size() != p || !new HashSet<>(e.processes()).equals(new HashSet<>(before.pids))) {
                    throw new IllegalStateException("checkpoint " + crid + " of a tree of " + p + " processes "
                            + before.pids + " lists " + e.processes().size() + " processes: " + e.processes());
                }
                for (String w : e.warnings()) {
                    notes.add(p + " procs: checkpoint warning: " + w);
                }
                into.downtime.add(e.downtimeMicros());
                String rw = ask(d, consumed, 'r');
                if (!rw.startsWith("rewrite ")) {
                    throw new IllegalStateException("expected 'rewrite N', got: " + rw);
                }
                settle();
                long[] marks = new long[p + 2];
                int[] seen = {0};
                long start = System.nanoTime();
                // Marks: [0] the root is about to be restored (the live tree is killed by then),
                // [i] child i is about to be restored, [p] the end.
                RestartResult rr = d.restart(crid, true, (message, done, total) -> {
                    if (seen[0] < marks.length) {
                        marks[seen[0]++] = System.nanoTime();
                    }
                });
                into.restart.add(rr.restartMicros());
                if (seen[0] == p + 1) {
                    into.restartKill.add((marks[0] - start) / 1000);
                    into.restartRoot.add((marks[1] - marks[0]) / 1000);
                    if (p > 1) {
                        into.restartChildren.add((marks[p] - marks[1]) / 1000);
                    }
                } else {
                    notes.add(p + " procs: restart reported progress " + seen[0] + " times, expected " + (p + 1)
                            + "; no breakdown");
                }
                for (String w : rr.warnings()) {
                    notes.add(p + " procs: restart warning: " + w);
                }
                Ready after = ready(d, consumed, p);
                if (after.round != before.round) {
                    throw new IllegalStateException("restart from " + crid + " gave round " + after.round
                            + ", expected " + before.round);
                }
                if (!after.pids.equals(before.pids)) {
                    notes.add(p + " procs: restart changed pids " + before.pids + " -> " + after.pids);
                }
                if (d.tree().size() != p) {
                    throw new IllegalStateException("after restart from " + crid + " the tree has " + d.tree().size()
                            + " processes, expected " + p);
                }
                d.drop(crid);
            }
        } finally {
            d.kill();
        }
    }

    private record Ready(int round, List<Integer> pids) {
    }

    /** Asks the tree for its state; every child's round must be the root's. */
    private static Ready ready(Debuggee d, int[] consumed, int p) {
        String line = ask(d, consumed, 'p');
        Matcher m = READY.matcher(line);
        if (!m.find() || Integer.parseInt(m.group(1)) != p) {
            throw new IllegalStateException("expected 'ready procs " + p + " round K ...', got: " + line);
        }
        int round = Integer.parseInt(m.group(2));
        if (p > 1) {
            for (String k : m.group(3).split(",")) {
                if (Integer.parseInt(k) != round) {
                    throw new IllegalStateException("a child's round differs from the root's: " + line);
                }
            }
        }
        List<Integer> pids = new ArrayList<>();
        for (String s : m.group(4).split(",")) {
            pids.add(Integer.parseInt(s));
        }
        return new Ready(round, pids);
    }

    private static String ask(Debuggee d, int[] consumed, char c) {
        d.writeStdin(new byte[] {(byte) c});
        return d.stdout().awaitLine(consumed[0]++, LINE_TIMEOUT);
    }

    /** Lets the tree settle back into read() after answering, so it is checkpointed idle. */
    private static void settle() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
