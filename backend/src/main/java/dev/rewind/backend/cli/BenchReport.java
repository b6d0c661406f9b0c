package dev.rewind.backend.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Prints the results of {@code rewind bench checkpoint}: a table, ratios of medians, and the targets. */
final class BenchReport {
    private static final String ROW = "%-46s";
    private static final String CELL = "%24s";
    private static final int SMALL = 16;
    private static final int LARGE = 1024;

    private final PrintStream out;
    private final int runs;
    private final int warmup;
    private final boolean withGdb;
    private int held;
    private int missed;

    BenchReport(PrintStream out, int runs, int warmup, boolean withGdb) {
        this.out = out;
        this.runs = runs;
        this.warmup = warmup;
        this.withGdb = withGdb;
    }

    void print(Map<Integer, BenchResults> results) {
        out.printf("rewind bench checkpoint: min / median of %d runs per size (after %d warm-up runs before the first "
                + "size, 1 before each other), 4 KiB pages (MADV_NOHUGEPAGE)%n", runs, warmup);
        out.printf(ROW, "heap size");
        results.keySet().forEach(mib -> out.printf(CELL, mib + " MiB"));
        out.println();
        out.println("time, ms");
        times(results, "  bare fork() in the program (untraced)", r -> r.bareFork);
        times(results, "  rewind checkpoint: debuggee downtime", r -> r.rewindDowntime);
        times(results, "    the checkpoint call, request to answer", r -> r.rewindCheckpointCall);
        if (withGdb) {
            times(results, "  gdb checkpoint", r -> r.gdbCheckpoint);
        }
        times(results, "  rewind write-back to an image (program running)", r -> r.writeBack);
        times(results, "    of which to the page cache (before its fsyncs)", r -> r.writeBackToCache);
        times(results, "  peer: /proc/PID/mem -> write, plain copy", r -> r.copyPipeline);
        times(results, "  peer: process_vm_readv -> write, plain copy", r -> r.copyPinned);
        times(results, "  program's longest stall in 100 ms, idle", r -> r.pingBefore);
        times(results, "  program's longest stall, during write-back", r -> r.pingDuringWriteBack);
        times(results, "  rewind restart (live heap rewritten)", r -> r.rewindRestart);
        times(results, "  rewind restart (live heap untouched)", r -> r.rewindRestartUntouched);
        times(results, "  rewind restore from the image (another engine)", r -> r.imageRestore);
        if (withGdb) {
            times(results, "  gdb restart N", r -> r.gdbRestart);
        }
        times(results, "  heap rewrite, no snapshot", r -> r.rewritePlain);
        times(results, "  heap rewrite after a checkpoint (CoW)", r -> r.rewriteAfterCheckpoint);
        out.println("memory held by one snapshot");
        memory(results, "  private, just taken", r -> r.privateAfterCheckpoint);
        memory(results, "  private, after the heap was rewritten", r -> r.privateAfterRewrite);
        memory(results, "  page tables (VmPTE of the snapshot)", r -> r.snapshotPte);
        out.println("image file");
        memory(results, "  one checkpoint", r -> r.imageBytes);
        memory(results, "  + a second, 1% of the heap later (incremental)", r -> r.incrementBytes);
        out.println("ratios of medians");
        ratio(results, "  rewind downtime / bare fork", r -> r.rewindDowntime, r -> r.bareFork);
        if (withGdb) {
            ratio(results, "  gdb checkpoint / rewind downtime", r -> r.gdbCheckpoint, r -> r.rewindDowntime);
        }
        ratio(results, "  rewind restart / bare fork", r -> r.rewindRestart, r -> r.bareFork);
        ratio(results, "  write-back (to cache) / /proc/PID/mem copy", r -> r.writeBackToCache, r -> r.copyPipeline);
        ratio(results, "  write-back (to cache) / process_vm_readv copy", r -> r.writeBackToCache,
                r -> r.copyPinned);
        if (withGdb) {
            ratio(results, "  gdb restart / rewind restart", r -> r.gdbRestart, r -> r.rewindRestart);
        }
        targets(results);
    }

    private void targets(Map<Integer, BenchResults> results) {
        out.println("targets (on medians; restart = after the live process rewrote its heap)");
        List<String> lines = new ArrayList<>();
        results.forEach((mib, r) -> {
            double fork = r.bareFork.median();
            double limit = 1.2 * fork + 500;
            lines.add(check(r.rewindDowntime.median() <= limit, "downtime <= 1.2 x fork + 0.5 ms", mib,
                    ms(r.rewindDowntime.median()) + " vs limit " + ms(limit) + " ms"));
        });
        if (withGdb) {
            lines.add(gdbCheckpointTarget(results, SMALL, 20));
            lines.add(gdbCheckpointTarget(results, LARGE, 3));
        }
        results.forEach((mib, r) -> {
            double limit = 2.5 * r.bareFork.median() + 1000;
            lines.add(check(r.rewindRestart.median() <= limit, "restart <= 2.5 x fork + 1 ms", mib,
                    ms(r.rewindRestart.median()) + " vs limit " + ms(limit) + " ms"));
        });
        if (withGdb) {
            results.forEach((mib, r) -> lines.add(check(r.rewindRestart.median() < r.gdbRestart.median(),
                    "restart faster than gdb restart", mib,
                    ms(r.rewindRestart.median()) + " vs gdb " + ms(r.gdbRestart.median()) + " ms")));
        }
        BenchResults large = results.get(LARGE);
        if (large != null) {
            double rate = large.copyPinned.median() / large.writeBackToCache.median();
            lines.add(check(rate >= 0.8, "write-back >= 80% of process_vm_readv -> write", LARGE,
                    String.format("%.0f%% (%.2f vs %.2f GB/s to the page cache)", 100 * rate,
                            gbPerSecond(large.imageBytes.median(), large.writeBackToCache.median()),
                            gbPerSecond(large.imageBytes.median(), large.copyPinned.median()))));
        }
        lines.forEach(out::println);
        out.printf("  %d of %d targets hold%s%n", held, held + missed, missed == 0 ? "" : "; " + missed + " MISSED");
    }

    private String gdbCheckpointTarget(Map<Integer, BenchResults> results, int mib, int factor) {
        BenchResults r = results.get(mib);
        String what = "checkpoint >= " + factor + "x faster than gdb";
        if (r == null) {
            return String.format("  %-6s %-40s at %5d MiB: not measured (not in --sizes)", "-", what, mib);
        }
        double ratio = r.gdbCheckpoint.median() / r.rewindDowntime.median();
        return check(ratio >= factor, what, mib, String.format("gdb is %.1fx slower", ratio));
    }

    private String check(boolean ok, String what, int mib, String detail) {
        if (ok) {
            held++;
        } else {
            missed++;
        }
        return String.format("  %-6s %-40s at %5d MiB: %s", ok ? "holds" : "MISSED", what, mib, detail);
    }

    private void times(Map<Integer, BenchResults> results, String label, Function<BenchResults, BenchSamples> metric) {
        row(results, label, metric, v -> ms(v));
    }

    private void memory(Map<Integer, BenchResults> results, String label, Function<BenchResults, BenchSamples> metric) {
        row(results, label, metric, BenchReport::bytes);
    }

    private void row(Map<Integer, BenchResults> results, String label, Function<BenchResults, BenchSamples> metric,
            Function<Double, String> format) {
        out.printf(ROW, label);
        for (BenchResults r : results.values()) {
            BenchSamples s = metric.apply(r);
            out.printf(CELL, s.isEmpty() ? "-" : format.apply((double) s.min()) + " / " + format.apply(s.median()));
        }
        out.println();
    }

    private void ratio(Map<Integer, BenchResults> results, String label, Function<BenchResults, BenchSamples> num,
            Function<BenchResults, BenchSamples> den) {
        out.printf(ROW, label);
        for (BenchResults r : results.values()) {
            out.printf(CELL, String.format("%.2f", num.apply(r).median() / den.apply(r).median()));
        }
        out.println();
    }

    /** Microseconds as milliseconds, with about three significant digits. */
    private static double gbPerSecond(double bytes, double micros) {
        return bytes / micros / 1000;
    }

    private static String ms(double micros) {
        double v = micros / 1000;
        return v < 1 ? String.format("%.3f", v) : v < 100 ? String.format("%.2f", v) : String.format("%.1f", v);
    }

    private static String bytes(double b) {
        if (b < 1024 * 1024) {
            return String.format("%.0f KiB", b / 1024);
        }
        return String.format("%.1f MiB", b / (1024 * 1024));
    }
}
