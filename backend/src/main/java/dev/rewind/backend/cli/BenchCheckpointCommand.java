package dev.rewind.backend.cli;

import dev.rewind.backend.checkpoint.CheckpointReason;
import dev.rewind.backend.checkpoint.Crid;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.checkpoint.RestartResult;
import dev.rewind.backend.checkpoint.TimelineEntry;
import dev.rewind.backend.trace.LaunchRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Checkpoint and restart cost against a bare {@code fork()} of the same program and against gdb's
 * own {@code checkpoint}/{@code restart}, at several heap sizes, in one run. A benchmark, not a
 * test: it reports the targets it misses and still exits 0; only errors give another status.
 */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        description = "Measure checkpoint downtime, restart latency and snapshot memory against a bare fork() "
                + "and gdb's checkpoint/restart, on a program with N MiB of touched heap (4 KiB pages).")
final class BenchCheckpointCommand implements Callable<Integer> {
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern READY = Pattern.compile("ready pid (\\d+) round (\\d+)");
    private static final Pattern VM_PTE = Pattern.compile("(?m)^VmPTE:\\s+(\\d+) kB");

    @Option(names = "--sizes", split = ",", paramLabel = "MIB", defaultValue = "16,256,1024",
            description = "Heap sizes in MiB (default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "Measured runs per size, after the warm-up runs (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "300",
            description = "Unmeasured runs before the first size (later sizes get one): all but the last are a bare "
                    + "checkpoint, restart and drop. The JIT compiles the engine's paths only after a few hundred "
                    + "calls; until then a checkpoint or a restart costs up to a millisecond more (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--no-gdb", description = "Leave gdb out.")
    private boolean noGdb;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        if (runs < 1 || warmup < 1 || sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("--runs, --warmup and every size in --sizes must be positive");
        }
        long started = System.nanoTime();
        BundledProgram program = BundledProgram.unpack("rewind-bench");
        Map<Integer, BenchResults> results = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        try (Engine engine = new Engine()) {
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
            int warmups = warmup;
            for (int mib : sizes) {
                out.printf("measuring %d MiB: %d warm-up run%s + %d runs ...%n", mib, warmups, warmups == 1 ? "" : "s", runs);
                out.flush();
                results.put(mib, measure(engine, program, mib, warmups, notes));
                warmups = 1;
            }
        } finally {
            program.delete();
        }
        out.println();
        new BenchReport(out, runs, warmup, !noGdb).print(results);
        for (String n : notes) {
            out.println("note: " + n);
        }
        out.printf("bench took %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private BenchResults measure(Engine engine, BundledProgram program, int mib, int warmups, List<String> notes) {
        BenchResults r = new BenchResults();
        Debuggee d = engine.launch(new LaunchRequest(program.executable().toString(), List.of(Integer.toString(mib)),
                null, null, List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE)), false);
        RewindDriver rewind = new RewindDriver(d);
        try (BenchPlainProcess plain = new BenchPlainProcess(program.executable(), mib);
                BenchGdb gdb = noGdb ? null : new BenchGdb(program.executable(), program.dir().resolve("gdb-in-" + mib), mib)) {
            for (int run = 0; run < warmups - 1; run++) {
                rewind.warmUp();
            }
            for (int run = warmups - 1; run < warmups + runs; run++) {
                // The last warm-up run also fills the page cache and starts gdb's side; it is not counted.
                BenchResults into = run < warmups ? new BenchResults() : r;
                into.bareFork.add(plain.askMicros('f'));
                plain.askMicros('r'); // pays the write faults the fork left behind
                into.rewritePlain.add(plain.askMicros('r'));
                rewind.measure(into);
                if (gdb != null) {
                    long[] g = gdb.checkpointAndRestart();
                    into.gdbCheckpoint.add(g[0]);
                    into.gdbRestart.add(g[1]);
                }
            }
            if (gdb != null && gdb.deleteProblem() != null) {
                notes.add(mib + " MiB: " + gdb.deleteProblem());
            }
        } finally {
            d.kill();
        }
        return r;
    }

    /** Drives the program under Rewind through the Engine API. */
    private static final class RewindDriver {
        private final Debuggee d;
        private int consumed;

        RewindDriver(Debuggee d) {
            this.d = d;
            String first = nextLine();
            if (!first.startsWith("ready pid ")) {
                throw new IllegalStateException("unexpected first line from the benchmark program: " + first);
            }
        }

        /** A checkpoint, a restart and a drop, unmeasured, for the JIT to compile their paths. */
        void warmUp() {
            Crid crid = d.checkpoint("warm-up", CheckpointReason.MANUAL).crid();
            d.restart(crid);
            d.drop(crid);
        }

        void measure(BenchResults into) {
            int round = askRound();
            settle();
            long called = System.nanoTime();
            TimelineEntry e = d.checkpoint("bench", CheckpointReason.MANUAL);
            into.rewindCheckpointCall.add((System.nanoTime() - called) / 1000);
            Crid crid = e.crid();
            into.rewindDowntime.add(e.downtimeMicros());
            into.snapshotPte.add(vmPteBytes(d.snapshotPid(crid)));
            into.privateAfterCheckpoint.add(entry(crid).privateBytes());
            writeBack(crid, round, into);
            into.rewriteAfterCheckpoint.add(askMicros('r'));
            into.privateAfterRewrite.add(entry(crid).privateBytes());
            // The process_vm_readv peer only now: the live process has rewritten its heap, so the
            // snapshot's pages are its own and pinning them copies nothing (the peer at its best);
            // earlier, each pin would have unshared a page and spoiled the copy-on-write figure.
            BenchCopyPipeline.sync();
            into.copyPinned.add(BenchCopyPipeline.copyMicros(d.snapshotPid(crid), BenchCopyPipeline.Read.PROCESS_VM_READV));
            settle();
            RestartResult rr = d.restart(crid);
            into.rewindRestart.add(rr.restartMicros());
            checkRound(crid, round);
            // Again at once: now the live process it kills has written nothing of its own, which
            // shows how much of a restart is the kill of a process that rewrote its heap.
            settle();
            into.rewindRestartUntouched.add(d.restart(crid).restartMicros());
            checkRound(crid, round);
            d.drop(crid);
        }

        /**
         * Writes the checkpoint to an image file while the program runs its stall detector (the
         * longest gap between two clock reads in 100 ms): the write never stops the program
         * (memory comes from the snapshot), so the gaps meanwhile show what it costs the program
         * (CPU and memory bandwidth), where a checkpoint's downtime would show as a gap of its length.
         */
        private void writeBack(Crid crid, int round, BenchResults into) {
            into.pingBefore.add(askMicros('s'));
            Path image;
            try {
                image = Files.createTempFile("rewind-bench-", ".rwi");
                Files.delete(image);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            try {
                // Both the write-back and its peer start with no dirty pages left by the other
                // (or by the runs before): the kernel throttles a writer once too many are dirty.
                BenchCopyPipeline.sync();
                long[] lastPage = {0};
                java.util.concurrent.CompletableFuture<Long> write = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    long start = System.nanoTime();
                    // Progress is reported after each section of pages: the last report comes
                    // after the last page, before the fsyncs.
                    d.writeBack(List.of(crid), image, (done, total) -> lastPage[0] = (System.nanoTime() - start) / 1000);
                    return (System.nanoTime() - start) / 1000;
                });
                long longest = 0;
                do {
                    longest = Math.max(longest, askMicros('s'));
                } while (!write.isDone());
                into.writeBack.add(write.join());
                into.writeBackToCache.add(lastPage[0]);
                into.pingDuringWriteBack.add(longest);
                BenchCopyPipeline.sync();
                into.copyPipeline.add(BenchCopyPipeline.copyMicros(d.snapshotPid(crid), BenchCopyPipeline.Read.PROC_MEM));
                into.imageRestore.add(restoreFromImage(image, crid, round));
                into.imageBytes.add(size(image));
                // Incremental: 1% of the heap rewritten, checkpointed (the first is its parent), appended.
                askMicros('o');
                Crid next = d.checkpoint("bench, 1% later", CheckpointReason.MANUAL).crid();
                long before = size(image);
                d.writeBack(List.of(next), image, (done, total) -> { });
                into.incrementBytes.add(size(image) - before);
                d.drop(next);
            } finally {
                try {
                    Files.deleteIfExists(image);
                } catch (IOException ex) {
                    // a temporary file
                }
            }
        }

        /**
         * Restores the image's checkpoint in a second engine (as another backend would), stopped,
         * and checks it has the checkpoint's state. The original's pid is in use meanwhile, so this
         * restore goes without keeping the pid (a warning); it costs the same.
         */
        private static long restoreFromImage(Path image, Crid crid, int round) {
            try (Engine other = new Engine()) {
                long start = System.nanoTime();
                Engine.ImageRestore r = other.restoreImage(image, crid.value(),
                        List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE), true);
                long micros = (System.nanoTime() - start) / 1000;
                Debuggee back = r.debuggee();
                back.awaitStop(java.time.Duration.ZERO);
                back.resume();
                back.writeStdin(new byte[] {'p'});
                String line = back.stdout().awaitLine(0, java.time.Duration.ofSeconds(30));
                Matcher m = READY.matcher(line);
                if (!m.find() || Integer.parseInt(m.group(2)) != round) {
                    throw new IllegalStateException("the restore of " + crid + " from its image said '" + line
                            + "', expected round " + round);
                }
                return micros;
            }
        }

        private static long size(Path file) {
            try {
                return Files.size(file);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        private void checkRound(Crid crid, int expected) {
            int got = askRound();
            if (got != expected) {
                throw new IllegalStateException("Rewind's restart from " + crid + " gave round " + got + ", expected "
                        + expected);
            }
        }

        private TimelineEntry entry(Crid crid) {
            return d.timeline().stream().filter(t -> t.crid().equals(crid)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("checkpoint " + crid + " is not on the timeline"));
        }

        private int askRound() {
            String line = ask('p');
            Matcher m = READY.matcher(line);
            if (!m.find()) {
                throw new IllegalStateException("expected 'ready pid N round K', got: " + line);
            }
            return Integer.parseInt(m.group(2));
        }

        private long askMicros(char c) {
            String line = ask(c);
            try {
                return Long.parseLong(line.trim());
            } catch (NumberFormatException ex) {
                throw new IllegalStateException("expected microseconds for '" + c + "', got: " + line, ex);
            }
        }

        private String ask(char c) {
            d.writeStdin(new byte[] {(byte) c});
            return nextLine();
        }

        private String nextLine() {
            return d.stdout().awaitLine(consumed++, LINE_TIMEOUT);
        }
    }

    /** Page-table memory of a process, from /proc/PID/status (a fork copies the parent's page tables). */
    private static long vmPteBytes(int pid) {
        try {
            String status = Files.readString(Path.of("/proc", Integer.toString(pid), "status"), StandardCharsets.US_ASCII);
            Matcher m = VM_PTE.matcher(status);
            if (!m.find()) {
                throw new IllegalStateException("no VmPTE in /proc/" + pid + "/status");
            }
            return Long.parseLong(m.group(1)) * 1024;
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/" + pid + "/status", e);
        }
    }

    /** Lets the program settle back into read() after answering, so it is checkpointed idle. */
    private static void settle() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
