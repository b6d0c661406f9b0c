package dev.rewind.backend.gdb;

import dev.rewind.backend.checkpoint.CheckpointReason;
import dev.rewind.backend.checkpoint.Crid;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.ThreadLocation;
import dev.rewind.backend.checkpoint.TimelineEntry;
import java.util.List;
import java.util.Optional;

/**
 * gdb's {@code monitor} commands ({@code qRcmd}): checkpoints, the timeline, checkpoint-on-break
 * and the automatic checkpoints at user-visible stops. Output goes to gdb's console. Keeps one
 * setting (auto checkpoints); used on the stub's thread only.
 */
final class GdbMonitor {
    static final String HELP = """
            Rewind monitor commands:
              monitor checkpoint [LABEL]           checkpoint the stopped program; prints its crid
              monitor checkpoints                  list the checkpoints (the timeline)
              monitor drop CRID                    free a checkpoint
              monitor label CRID [LABEL]           rename a checkpoint
              monitor checkpoint-on-break on|off   every breakpoint hit takes a checkpoint first
              monitor checkpoint-at ADDR|clear     breakpoints at ADDR take a checkpoint on each hit
              monitor auto-checkpoint on|off       checkpoint at each stop the user sees (for rw-back)
              monitor stops                        the automatic checkpoints rw-back can return to
            Restart from a checkpoint with 'run cCRID' (or rw-restart CRID); go back K user-visible
            stops with 'run bK' (or rw-back K). Going back re-executes the program forward from
            a checkpoint: it is not instruction-level reverse execution.
            """;

    private final GdbStub stub;
    private boolean autoCheckpoint = true;

    GdbMonitor(GdbStub stub) {
        this.stub = stub;
    }

    private Debuggee owner(Crid crid) {
        return stub.session().owner(crid).orElseThrow(() -> new IllegalArgumentException("no checkpoint " + crid));
    }

    void execute(String line) {
        String[] w = line.strip().split("\\s+", 2);
        String cmd = w[0];
        String arg = w.length > 1 ? w[1].strip() : "";
        try {
            switch (cmd) {
                case "checkpoint" -> {
                    TimelineEntry e = stub.checkpoint(arg.isEmpty() ? "checkpoint" : arg, CheckpointReason.MANUAL);
                    stub.history().takenAtCurrentStop(e.crid());
                    print("checkpoint " + e.crid() + (arg.isEmpty() ? "" : " (" + arg + ")") + " at " + where(e) + "\n");
                    for (String warning : e.warnings()) {
                        print("  warning: " + warning + "\n");
                    }
                }
                case "checkpoints" -> print(table(stub.session().timeline()));
                case "drop" -> {
                    Crid crid = new Crid(Long.parseLong(arg));
                    owner(crid).drop(crid);
                    stub.history().forget(crid);
                    print("dropped checkpoint " + crid + "\n");
                }
                case "label" -> {
                    String[] a = arg.split("\\s+", 2);
                    Crid crid = new Crid(Long.parseLong(a[0]));
                    TimelineEntry e = owner(crid).label(crid, a.length > 1 ? a[1] : "");
                    print("checkpoint " + crid + " is now '" + e.label() + "'\n");
                }
                case "checkpoint-on-break" -> {
                    stub.setCheckpointOnBreak(onOff(arg));
                    print("checkpoint-on-break " + (stub.checkpointOnBreak() ? "on" : "off")
                            + " (applies as gdb inserts breakpoints, i.e. from the next resume)\n");
                }
                case "checkpoint-at" -> {
                    if (arg.equals("clear")) {
                        stub.checkpointAt().clear();
                        print("no breakpoint takes checkpoints now\n");
                    } else {
                        long address = Long.decode(arg);
                        stub.checkpointAt().add(address);
                        print(String.format("a breakpoint at 0x%x takes a checkpoint on each hit%n", address));
                    }
                }
                case "auto-checkpoint" -> {
                    autoCheckpoint = onOff(arg);
                    print("auto-checkpoint " + (autoCheckpoint ? "on" : "off") + "\n");
                }
                case "stop-mark" -> stopMark();
                case "can-restart" -> checkRestart(arg);
                case "stops" -> print(stops());
                case "help", "" -> print(HELP);
                default -> {
                    print("unknown monitor command '" + cmd + "'; 'monitor help' lists them\n");
                    stub.send("E01");
                    return;
                }
            }
            stub.send("OK");
        } catch (RuntimeException e) {
            print("rewind: " + e.getMessage() + "\n");
            stub.send("E01");
        }
    }

    /**
     * Sent by the gdb script's {@code hook-stop}, which gdb runs only at stops it shows the user
     * (not at its internal stops for stepping, breakpoint step-overs or shared-library events).
     */
    private void stopMark() {
        if (!autoCheckpoint || !stub.session().hasLiveProcess()) {
            return;
        }
        Crid at = stub.atCheckpoint();
        if (at != null) {
            stub.history().restartedAt(at); // standing on a checkpoint: nothing new to keep
            return;
        }
        Crid hit = stub.checkpointOfLastStop();
        if (hit != null) { // a checkpoint-on-hit breakpoint took one at this very stop: keep that one
            if (!stub.history().isCurrent(hit)) {
                stub.history().record(hit);
            }
            return;
        }
        try {
            TimelineEntry e = stub.checkpoint("stop", CheckpointReason.STOP);
            stub.history().record(e.crid());
        } catch (RuntimeException e) {
            // No checkpoint here (e.g. at the very first instruction): rw-back just cannot come
            // back to this stop. The hook must not fail, or gdb reports an error at every stop.
            stub.log("no automatic checkpoint at this stop: " + e.getMessage());
        }
    }

    /**
     * Fails (E01) unless {@code run ARG} would restart something: c<CRID> a checkpoint that exists,
     * b<K> a stop K back. The gdb script asks before its 'run', because gdb kills the live process
     * first: a restart that cannot happen must not cost the user the program.
     */
    private void checkRestart(String arg) {
        java.util.regex.Matcher m = GdbStub.RESTART_ARG.matcher(arg);
        if (!m.matches()) {
            throw new IllegalArgumentException("can-restart wants c<CRID> or b<K>, not '" + arg + "'");
        }
        int n = Integer.parseInt(m.group(2));
        if (m.group(1).equals("c") && stub.session().owner(new Crid(n)).isEmpty()) {
            throw new IllegalArgumentException("no checkpoint " + n + " (rw-list shows them); the program is left as it is");
        }
        if (m.group(1).equals("b") && stub.history().back(n).isEmpty()) {
            throw new IllegalArgumentException("no stop " + n + " back (" + stub.history().depth()
                    + " recorded); the program is left as it is");
        }
    }

    private String stops() {
        List<Crid> s = stub.history().stops();
        if (s.isEmpty()) {
            return "no automatic checkpoints yet (they come from the rewind gdb script's hook-stop)\n";
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 1; ; k++) {
            Optional<Crid> c = stub.history().back(k);
            if (c.isEmpty()) {
                break;
            }
            sb.append("  rw-back ").append(k).append(" -> checkpoint ").append(c.get()).append('\n');
        }
        return sb.length() == 0 ? "no earlier stop to go back to\n" : sb.toString();
    }

    private static boolean onOff(String arg) {
        return switch (arg) {
            case "on", "1", "yes" -> true;
            case "off", "0", "no" -> false;
            default -> throw new IllegalArgumentException("say on or off, not '" + arg + "'");
        };
    }

    private static String where(TimelineEntry e) {
        if (e.threads().isEmpty()) {
            return "?";
        }
        ThreadLocation t = e.threads().get(0);
        return String.format("0x%x%s", t.pc(), t.symbol() == null ? "" : " " + t.symbol());
    }

    static String table(List<TimelineEntry> entries) {
        if (entries.isEmpty()) {
            return "no checkpoints\n";
        }
        StringBuilder sb = new StringBuilder(String.format("  %-5s %-16s %-10s %-7s %-10s %s%n", "crid", "label",
                "reason", "parent", "private", "where"));
        for (TimelineEntry e : entries) {
            sb.append(String.format("  %-5s %-16s %-10s %-7s %-10s %s%n", e.crid(), e.label(),
                    e.reason().name().toLowerCase(), e.parent() == null ? "-" : e.parent().toString(),
                    e.privateBytes() / 1024 + " KiB", where(e)));
        }
        return sb.toString();
    }

    private void print(String text) {
        // Console output goes in O packets of bounded size.
        for (int i = 0; i < text.length(); i += 512) {
            stub.console(text.substring(i, Math.min(text.length(), i + 512)));
        }
    }
}
