package dev.rewind.backend.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The table {@code rewind bench gdbserver} prints: min and median per case, ratios on the medians. */
final class BenchGdbServerReport {
    private final PrintStream out;
    private final int hits;
    private final int stops;
    private final int runs;
    private final boolean haveGdbserver;
    private final double target;

    BenchGdbServerReport(PrintStream out, int hits, int stops, int runs, boolean haveGdbserver, double target) {
        this.out = out;
        this.hits = hits;
        this.stops = stops;
        this.runs = runs;
        this.haveGdbserver = haveGdbserver;
        this.target = target;
    }

    /** {@code t}: microseconds by "STUB.CASE.LABEL" (STUB GDBSERVER|REWIND, LABEL run|cont|loop). */
    void print(Map<String, List<Long>> t) {
        out.printf("gdb through Rewind's gdbserver (--stdio) vs the system gdbserver (--multi over a pipe); "
                + "%d runs each; min / median; ratio = Rewind median / gdbserver median%n", runs);
        out.printf("%-44s %21s %21s %9s  %s%n", "", "gdbserver", "rewind", "ratio", "target <= " + target + "x");
        row(t, "run to the first hit (ms)", "HITS.run", 1000.0, true);
        row(t, "continue over " + hits + " hits (ms)", "HITS.cont", 1000.0, true);
        row(t, "  per hit (us)", "HITS.cont", hits, true);
        row(t, stops + " stops, one continue each (ms)", "STOPS.loop", 1000.0, false);
        row(t, "  per stop (us)", "STOPS.loop", stops, false);
        out.println();
        out.printf("automatic checkpoint at every user-visible stop (Rewind only; hook-stop runs 'monitor stop-mark', "
                + "as the rewind gdb script does):%n");
        rewindOnly(t, stops + " stops + hook, auto-checkpoint on (ms)", "STOPS_HOOK.loop", 1000.0);
        rewindOnly(t, "  per stop (us)", "STOPS_HOOK.loop", stops);
        rewindOnly(t, stops + " stops + hook, auto-checkpoint off (ms)", "STOPS_HOOK_AUTO_OFF.loop", 1000.0);
        rewindOnly(t, "  per stop (us)", "STOPS_HOOK_AUTO_OFF.loop", stops);
        double plain = median(t.get("REWIND.STOPS.loop")) / stops;
        double on = median(t.get("REWIND.STOPS_HOOK.loop")) / stops;
        double off = median(t.get("REWIND.STOPS_HOOK_AUTO_OFF.loop")) / stops;
        out.printf("  cost per stop, medians: auto-checkpoint %.0f us (hook on - hook off), monitor round trip "
                + "%.0f us (hook off - no hook); with the hook a stop takes %.2fx a plain Rewind stop%n",
                on - off, off - plain, on / plain);
    }

    private void row(Map<String, List<Long>> t, String name, String key, double divisor, boolean targeted) {
        List<Long> r = t.get("REWIND." + key);
        String rw = cell(r, divisor);
        if (!haveGdbserver) {
            out.printf("%-44s %21s %21s%n", name, "(no gdbserver)", rw);
            return;
        }
        List<Long> g = t.get("GDBSERVER." + key);
        double ratio = median(r) / median(g);
        String verdict = !targeted ? "(not a target)"
                : ratio <= target ? "met" : String.format("MISSED (%.1fx over)", ratio / target);
        out.printf("%-44s %21s %21s %8.2fx  %s%n", name, cell(g, divisor), rw, ratio, verdict);
    }

    private void rewindOnly(Map<String, List<Long>> t, String name, String key, double divisor) {
        out.printf("%-44s %21s %21s%n", name, "", cell(t.get("REWIND." + key), divisor));
    }

    private static String cell(List<Long> micros, double divisor) {
        return String.format("%9.1f / %9.1f", Collections.min(micros) / divisor, median(micros) / divisor);
    }

    private static double median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }
}
