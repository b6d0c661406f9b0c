package dev.rewind.backend.cli;

import dev.rewind.backend.checkpoint.ThreadLocation;
import dev.rewind.backend.checkpoint.TimelineEntry;
import java.io.PrintStream;
import java.util.List;

/** Prints a timeline as a table. Stateless. */
final class TimelinePrinter {
    private TimelinePrinter() {
    }

    static void print(PrintStream out, List<TimelineEntry> entries) {
        out.printf("  %-5s %-16s %-7s %-7s %-12s %-10s %s%n", "crid", "label", "reason", "parent", "downtime", "private",
                "where");
        for (TimelineEntry e : entries) {
            ThreadLocation t = e.threads().isEmpty() ? null : e.threads().get(0);
            String where = t == null ? "" : String.format("pc 0x%x %s", t.pc(), t.symbol() == null ? "" : t.symbol());
            out.printf("  %-5s %-16s %-7s %-7s %-12s %-10s %s%n", e.crid(), e.label(), e.reason().name().toLowerCase(),
                    e.parent() == null ? "-" : e.parent().toString(), e.downtimeMicros() + " us",
                    e.privateBytes() / 1024 + " KiB", where);
            for (String w : e.warnings()) {
                out.println("        warning: " + w);
            }
        }
    }
}
