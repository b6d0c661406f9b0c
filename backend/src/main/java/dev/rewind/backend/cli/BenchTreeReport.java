package dev.rewind.backend.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Prints the results of {@code rewind bench tree}: min / median per tree size, ratios and rates. */
final class BenchTreeReport {
    private static final String ROW = "%-58s";
    private static final String CELL = "%20s";

    private final PrintStream out;
    private final int runs;
    private final int mib;

    BenchTreeReport(PrintStream out, int runs, int mib) {
        this.out = out;
        this.runs = runs;
        this.mib = mib;
    }

    void print(Map<Integer, BenchTreeResults> results) {
        out.printf("rewind bench tree: min / median of %d runs per tree size (after 1 warm-up run), "
                + "%d MiB touched private heap per process, 4 KiB pages (MADV_NOHUGEPAGE)%n", runs, mib);
        out.printf(ROW, "processes in the tree");
        results.keySet().forEach(p -> out.printf(CELL, p + " x " + mib + " MiB"));
        out.println();
        out.println("time, ms");
        times(results, "  rewind tree checkpoint: downtime", r -> r.downtime);
        times(results, "  sum of bare fork() of every process (untraced)", r -> r.forkSum);
        times(results, "    largest single fork", r -> r.forkMax);
        times(results, "    the root's fork", r -> r.forkRoot);
        times(results, "  rewind tree restart (live heaps rewritten)", r -> r.restart);
        times(results, "    until the root is restored (kill of the live tree)", r -> r.restartKill);
        times(results, "    the root", r -> r.restartRoot);
        times(results, "    the children (transplants; pipes refilled, resume)", r -> r.restartChildren);
        times(results, "  copy of the children's heaps: pwrite /proc/self/mem", r -> r.copyChildrenPwrite);
        times(results, "  copy of the children's heaps: memcpy", r -> r.copyChildrenMemcpy);
        times(results, "  copy of one process's heap: pwrite /proc/self/mem", r -> r.copyOnePwrite);
        times(results, "  copy of one process's heap: memcpy", r -> r.copyOneMemcpy);
        out.println("ratios of medians");
        ratio(results, "  checkpoint downtime / sum of forks",
                r -> r.downtime.median() / r.forkSum.median());
        ratio(results, "  restart / sum of forks", r -> r.restart.median() / r.forkSum.median());
        ratio(results, "  restart / (root's fork + children's pwrite copies)",
                r -> r.restart.median() / (r.forkRoot.median() + childrenCopy(r)));
        ratio(results, "  restart's children part / children's pwrite copies",
                r -> r.restartChildren.isEmpty() ? Double.NaN : r.restartChildren.median() / childrenCopy(r));
        out.println("rates (medians)");
        rate(results, "  restart: whole tree's heap restored, MiB/s",
                r -> r.procs * (double) r.mib / (r.restart.median() / 1e6));
        rate(results, "  restart's children part: children's heap restored, MiB/s",
                r -> r.restartChildren.isEmpty() ? Double.NaN
                        : (r.procs - 1) * (double) r.mib / (r.restartChildren.median() / 1e6));
        rate(results, "  pwrite /proc/self/mem copy, MiB/s",
                r -> r.mib / (r.copyOnePwrite.median() / 1e6));
        rate(results, "  memcpy into fresh pages, MiB/s", r -> r.mib / (r.copyOneMemcpy.median() / 1e6));
    }

    private static double childrenCopy(BenchTreeResults r) {
        return r.copyChildrenPwrite.isEmpty() ? 0 : r.copyChildrenPwrite.median();
    }

    private void times(Map<Integer, BenchTreeResults> results, String label,
            Function<BenchTreeResults, BenchSamples> metric) {
        out.printf(ROW, label);
        for (BenchTreeResults r : results.values()) {
            BenchSamples s = metric.apply(r);
            out.printf(CELL, s.isEmpty() ? "-" : ms(s.min()) + " / " + ms(s.median()));
        }
        out.println();
    }

    private void ratio(Map<Integer, BenchTreeResults> results, String label, ToDoubleFunction<BenchTreeResults> f) {
        out.printf(ROW, label);
        results.values().forEach(r -> out.printf(CELL, format("%.2f", f.applyAsDouble(r))));
        out.println();
    }

    private void rate(Map<Integer, BenchTreeResults> results, String label, ToDoubleFunction<BenchTreeResults> f) {
        out.printf(ROW, label);
        results.values().forEach(r -> out.printf(CELL, format("%.0f", f.applyAsDouble(r))));
        out.println();
    }

    /** A number, or "-" where there is none (a tree of one process has no children). */
    private static String format(String pattern, double v) {
        return Double.isNaN(v) ? "-" : String.format(pattern, v);
    }

    /** Microseconds as milliseconds, with about three significant digits. */
    private static String ms(double micros) {
        double v = micros / 1000;
        return v < 1 ? String.format("%.3f", v) : v < 100 ? String.format("%.2f", v) : String.format("%.1f", v);
    }
}
