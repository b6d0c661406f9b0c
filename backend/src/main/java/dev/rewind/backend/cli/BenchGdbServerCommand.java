package dev.rewind.backend.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * gdb through Rewind's gdbserver against gdb through the system gdbserver, in one run: the time of
 * a {@code run} to a breakpoint, of one {@code continue} over N breakpoint hits ({@code ignore}
 * makes gdb stop and resume at every hit internally without showing them), and of M
 * user-visible stops (M {@code continue}s), the last also with the rewind gdb script's
 * {@code hook-stop} ({@code monitor stop-mark}, an automatic checkpoint at every stop).
 * Each command is timed inside gdb (Python, monotonic clock around {@code gdb.execute}), so gdb's
 * and the stub's start-up are left out. A benchmark, not a test: it reports the targets it
 * misses and still exits 0.
 */
@Command(name = "gdbserver", mixinStandardHelpOptions = true,
        description = "Measure gdb through './rewind gdbserver --stdio' against the system gdbserver: run to a "
                + "breakpoint, a continue over N breakpoint hits, M user-visible stops, and the cost of the "
                + "automatic checkpoint at every stop.")
final class BenchGdbServerCommand implements Callable<Integer> {
    static final String SYSTEM_GDBSERVER = "/usr/bin/gdbserver";
    private static final double TARGET = 1.5;
    private static final Pattern TIMED = Pattern.compile("@@rwb (\\S+) (\\d+)");

    @Option(names = "--hits", paramLabel = "N", defaultValue = "10000",
            description = "Breakpoint hits one continue goes over (default: ${DEFAULT-VALUE}).")
    private int hits;

    @Option(names = "--stops", paramLabel = "M", defaultValue = "200",
            description = "User-visible stops (continues) for the stop and auto-checkpoint loop (default: ${DEFAULT-VALUE}).")
    private int stops;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "3",
            description = "Measured runs of each case (default: ${DEFAULT-VALUE}).")
    private int runs;

    private final PrintStream out = System.out;

    /** One way to reach the debuggee: the system gdbserver or Rewind's. */
    private enum Stub { GDBSERVER, REWIND }

    /** What a gdb session measures. */
    private enum Case {
        HITS, STOPS, STOPS_HOOK, STOPS_HOOK_AUTO_OFF
    }

    @Override
    public Integer call() throws Exception {
        if (hits < 2 || stops < 1 || runs < 1) {
            throw new IllegalArgumentException("--hits must be at least 2, --stops and --runs positive");
        }
        long started = System.nanoTime();
        boolean haveGdbserver = Files.isExecutable(Path.of(SYSTEM_GDBSERVER));
        List<String> notes = new ArrayList<>();
        if (!haveGdbserver) {
            String msg = SYSTEM_GDBSERVER + " is missing (Debian: apt-get install gdbserver): "
                    + "measuring Rewind alone, no gdbserver column and no ratios";
            out.println("note: " + msg);
            notes.add(msg);
        }
        List<String> self = GdbCommand.selfCommand();
        BundledProgram program = BundledProgram.unpack("rewind-bench-hits");
        Map<String, List<Long>> t = new HashMap<>();
        try {
            for (int run = 1; run <= runs; run++) {
                out.printf("run %d of %d ...%n", run, runs);
                out.flush();
                for (Stub stub : Stub.values()) {
                    if (stub == Stub.GDBSERVER && !haveGdbserver) {
                        continue;
                    }
                    for (Case c : Case.values()) {
                        if (stub == Stub.GDBSERVER && (c == Case.STOPS_HOOK || c == Case.STOPS_HOOK_AUTO_OFF)) {
                            continue; // monitor stop-mark is Rewind's
                        }
                        Map<String, Long> got = session(program, self, stub, c, run);
                        got.forEach((k, v) -> t.computeIfAbsent(stub + "." + c + "." + k, x -> new ArrayList<>()).add(v));
                    }
                }
            }
        } finally {
            program.delete();
        }
        out.println();
        new BenchGdbServerReport(out, hits, stops, runs, haveGdbserver, TARGET).print(t);
        for (String n : notes) {
            out.println("note: " + n);
        }
        out.printf("bench took %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** One gdb -batch session; returns the microseconds of each timed command by label. */
    private Map<String, Long> session(BundledProgram program, List<String> self, Stub stub, Case c, int run)
            throws IOException, InterruptedException {
        String exe = program.executable().toString();
        int count = c == Case.HITS ? hits + 1 : stops + 1;
        StringBuilder s = new StringBuilder();
        s.append("set pagination off\nset confirm off\nset width 0\n");
        s.append("python\n"
                + "import time\n"
                + "def rwb(label, cmd):\n"
                + "    t = time.monotonic_ns()\n"
                + "    gdb.execute(cmd, to_string=True)\n"
                + "    print('@@rwb %s %d' % (label, (time.monotonic_ns() - t) // 1000))\n"
                + "def rwb_loop(label, n):\n"
                + "    t = time.monotonic_ns()\n"
                + "    for _ in range(n):\n"
                + "        gdb.execute('continue', to_string=True)\n"
                + "    print('@@rwb %s %d' % (label, (time.monotonic_ns() - t) // 1000))\n"
                + "end\n");
        s.append("file ").append(GdbCommand.quote(exe)).append('\n');
        String server = stub == Stub.GDBSERVER
                ? SYSTEM_GDBSERVER + " --multi -"
                : String.join(" ", self.stream().map(GdbCommand::quote).toList()) + " gdbserver --stdio";
        s.append("target extended-remote | ").append(server).append('\n');
        s.append("set remote exec-file ").append(exe).append('\n');
        s.append("set args ").append(count).append('\n');
        if (c == Case.STOPS_HOOK || c == Case.STOPS_HOOK_AUTO_OFF) {
            // What the rewind gdb script does at every stop the user sees.
            s.append("define hook-stop\n  monitor stop-mark\nend\n");
        }
        if (c == Case.STOPS_HOOK_AUTO_OFF) {
            s.append("monitor auto-checkpoint off\n");
        }
        s.append("break hit\n");
        s.append("python rwb('run', 'run')\n");
        if (c == Case.HITS) {
            // Stopped at hit 0: gdb passes hits 1 .. N-1 internally and stops at hit N.
            s.append("ignore 1 ").append(hits - 1).append('\n');
            s.append("python rwb('cont', 'continue')\n");
        } else {
            s.append("python rwb_loop('loop', ").append(stops).append(")\n");
        }
        s.append("python print('@@rwb at %d' % int(gdb.parse_and_eval('i')))\n");
        if (c == Case.STOPS_HOOK) {
            s.append("monitor stops\n");
        }
        s.append("kill\n");
        Path cmd = program.dir().resolve("gdb-" + stub + "-" + c + "-" + run + ".gdb");
        Path log = program.dir().resolve("gdb-" + stub + "-" + c + "-" + run + ".log");
        Files.writeString(cmd, s.toString(), StandardCharsets.UTF_8);
        Process gdb = new ProcessBuilder("gdb", "-batch", "-nx", "-x", cmd.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long timeoutMillis = 120_000L + 50L * count;
        try {
            if (!gdb.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                gdb.descendants().forEach(ProcessHandle::destroyForcibly);
                gdb.destroyForcibly();
                throw new IllegalStateException(stub + " " + c + ": gdb took more than " + timeoutMillis / 1000
                        + " s; its output ends with:\n" + tail(log));
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            Map<String, Long> got = new HashMap<>();
            Matcher m = TIMED.matcher(text);
            while (m.find()) {
                got.put(m.group(1), Long.parseLong(m.group(2)));
            }
            long expectedAt = c == Case.HITS ? hits : stops;
            if (!got.containsKey("run") || !got.containsKey(c == Case.HITS ? "cont" : "loop")
                    || got.getOrDefault("at", -1L) != expectedAt) {
                throw new IllegalStateException(stub + " " + c + ": gdb did not get through the benchmark (expected "
                        + "to stop at hit " + expectedAt + "); its output ends with:\n" + tail(log));
            }
            got.remove("at");
            return got;
        } finally {
            Files.deleteIfExists(cmd);
            Files.deleteIfExists(log);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
