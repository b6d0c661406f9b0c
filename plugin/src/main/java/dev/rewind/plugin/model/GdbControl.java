package dev.rewind.plugin.model;

import dev.rewind.plugin.mi.GdbMi;
import dev.rewind.plugin.mi.MiCommandException;
import dev.rewind.plugin.mi.MiRecord;
import dev.rewind.plugin.mi.MiValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the debug model asks of gdb, in MI: connecting to Rewind's gdbserver, breakpoints, run
 * control, stacks, variables, and Rewind's checkpoint commands (its gdb script's rw-* commands
 * and {@code monitor}). The only class of the model that writes MI text.
 *
 * <p>Thread-safe (stateless over a {@link GdbMi}); each call waits for gdb's answer.
 */
public final class GdbControl {
    /** How long one MI command may take; a restart of a large process is the slowest. */
    private static final long TIMEOUT_SECONDS = 60;
    private static final Pattern INFO_LINE = Pattern.compile("Line (\\d+) of \"([^\"]+)\"");
    private static final Pattern CRID = Pattern.compile("checkpoint (\\d+)");

    private final GdbMi gdb;

    public GdbControl(GdbMi gdb) {
        this.gdb = gdb;
    }

    public GdbMi mi() {
        return gdb;
    }

    /**
     * Loads Rewind's gdb script (may be null), the program's symbols (program may be null), and connects to the
     * session's gdbserver; gdb then shows the process stopped where the session is.
     */
    public void connect(String script, String program, String targetCommand) throws DebugFailure {
        run("-gdb-set confirm off");
        run("-gdb-set pagination off");
        if (script != null) {
            console("source " + script);
        }
        if (program != null) { // else gdb reads the executable through the gdbserver (qXfer:exec-file)
            run("-file-exec-and-symbols " + GdbMi.quote(program));
        }
        console(targetCommand);
    }

    /** A breakpoint gdb made: its number and the addresses it resolved to (none while pending). */
    public record Inserted(int number, List<Long> addresses) {
    }

    public Inserted insertBreakpoint(String file, int line, boolean enabled) throws DebugFailure {
        MiValue.Tuple bkpt = run("-break-insert -f" + (enabled ? "" : " -d") + " " + GdbMi.quote(file + ":" + line))
                .results().tuple("bkpt");
        List<Long> addresses = new ArrayList<>();
        addAddress(bkpt, addresses);
        for (MiValue location : bkpt.list("locations")) {
            if (location instanceof MiValue.Tuple t) {
                addAddress(t, addresses);
            }
        }
        return new Inserted(Integer.parseInt(bkpt.string("number")), List.copyOf(addresses));
    }

    private static void addAddress(MiValue.Tuple bkpt, List<Long> into) {
        String addr = bkpt.string("addr");
        if (addr != null && addr.startsWith("0x")) {
            into.add(Long.parseUnsignedLong(addr.substring(2), 16));
        }
    }

    public void deleteBreakpoint(int number) throws DebugFailure {
        run("-break-delete " + number);
    }

    public void enableBreakpoint(int number, boolean enabled) throws DebugFailure {
        run((enabled ? "-break-enable " : "-break-disable ") + number);
    }

    /** Breakpoints at these addresses take a checkpoint (reason "breakpoint") on each hit. */
    public void checkpointAt(List<Long> addresses) throws DebugFailure {
        console("monitor checkpoint-at clear");
        for (long a : addresses) {
            console("monitor checkpoint-at 0x" + Long.toHexString(a));
        }
    }

    /** Whether each stop the user sees becomes an automatic checkpoint (what Back needs). */
    public void autoCheckpoint(boolean on) throws DebugFailure {
        console("monitor auto-checkpoint " + (on ? "on" : "off"));
    }

    public void resume() throws DebugFailure {
        run("-exec-continue");
    }

    public void interrupt() throws DebugFailure {
        run("-exec-interrupt");
    }

    public void stepInto(int thread) throws DebugFailure {
        run("-exec-step --thread " + thread);
    }

    public void stepOver(int thread) throws DebugFailure {
        run("-exec-next --thread " + thread);
    }

    public void stepReturn(int thread, int frame) throws DebugFailure {
        run("-exec-finish --thread " + thread + " --frame " + frame);
    }

    /** Checkpoints the stopped program (reason "manual"); answers its crid. */
    public long checkpoint(String label) throws DebugFailure {
        String out = consoleText("monitor checkpoint " + label.replace('\n', ' '));
        Matcher m = CRID.matcher(out);
        if (!m.find()) {
            throw new DebugFailure("no checkpoint: " + out.strip());
        }
        return Long.parseLong(m.group(1));
    }

    /** Restarts the program from a checkpoint, through gdb ({@code rw-restart}), so gdb reloads its state. */
    public void restart(long crid) throws DebugFailure {
        console("rw-restart " + crid);
    }

    /** Goes back to the stop before the current one ({@code rw-back}): checkpoint undo, not reverse execution. */
    public void back(int stops) throws DebugFailure {
        console("rw-back " + stops);
    }

    /** The thread ids gdb knows, with their names. */
    public record ThreadInfo(int id, String name) {
    }

    public List<ThreadInfo> threads() throws DebugFailure {
        List<ThreadInfo> out = new ArrayList<>();
        for (MiValue v : run("-thread-info").results().list("threads")) {
            if (v instanceof MiValue.Tuple t) {
                String name = t.string("name");
                out.add(new ThreadInfo(Integer.parseInt(t.string("id")), name != null ? name : t.string("target-id")));
            }
        }
        return out;
    }

    /** One frame of a stack: file and line when gdb has line information. */
    public record FrameInfo(int level, String function, String file, String fullPath, int line, String address) {
    }

    public List<FrameInfo> frames(int thread) throws DebugFailure {
        List<FrameInfo> out = new ArrayList<>();
        for (MiValue v : run("-stack-list-frames --thread " + thread).results().list("stack")) {
            if (v instanceof MiValue.Tuple f) {
                String line = f.string("line");
                out.add(new FrameInfo(Integer.parseInt(f.string("level")), f.string("func"), f.string("file"),
                        f.string("fullname"), line == null ? -1 : Integer.parseInt(line), f.string("addr")));
            }
        }
        return out;
    }

    /** A gdb variable object: {@code name} is gdb's handle for its children. */
    public record VarInfo(String name, String expression, String value, String type, int children) {
    }

    /** The locals and arguments of a frame, as variable objects (deleted by {@link #deleteVariable}). */
    public List<VarInfo> locals(int thread, int frame) throws DebugFailure {
        List<VarInfo> out = new ArrayList<>();
        String where = " --thread " + thread + " --frame " + frame;
        for (MiValue v : run("-stack-list-variables" + where + " --no-values").results().list("variables")) {
            if (v instanceof MiValue.Tuple t) {
                String expression = t.string("name");
                MiValue.Tuple r = run("-var-create" + where + " - * " + GdbMi.quote(expression)).results();
                out.add(varInfo(r, expression));
            }
        }
        return out;
    }

    public List<VarInfo> children(String variable) throws DebugFailure {
        List<VarInfo> out = new ArrayList<>();
        for (MiValue v : run("-var-list-children --all-values " + GdbMi.quote(variable)).results().list("children")) {
            if (v instanceof MiValue.Tuple t) {
                out.add(varInfo(t, t.string("exp")));
            }
        }
        return out;
    }

    public void deleteVariable(String variable) {
        gdb.send("-var-delete " + GdbMi.quote(variable)); // nobody waits: it goes with the stop
    }

    private static VarInfo varInfo(MiValue.Tuple t, String expression) {
        String n = t.string("numchild");
        return new VarInfo(t.string("name"), expression, t.string("value"), t.string("type"), n == null ? 0 : Integer.parseInt(n));
    }

    /** Where an address is in the sources ({@code "gdb-loop.c:12"}), or null when gdb has no line for it. */
    public String sourceLine(long pc) throws DebugFailure {
        Matcher m = INFO_LINE.matcher(consoleText("info line *0x" + Long.toHexString(pc)));
        return m.find() ? m.group(2) + ":" + m.group(1) : null;
    }

    /** Runs an MI command and answers its result; fails with gdb's message. */
    public MiRecord.Result run(String command) throws DebugFailure {
        try {
            return gdb.send(command).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MiCommandException mi) {
                throw new DebugFailure(mi.getMessage());
            }
            throw new DebugFailure(cause instanceof IOException ? cause.getMessage() : String.valueOf(cause));
        } catch (TimeoutException e) {
            throw new DebugFailure("gdb did not answer " + command + " within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DebugFailure("interrupted");
        }
    }

    private void console(String cli) throws DebugFailure {
        run("-interpreter-exec console " + GdbMi.quote(cli));
    }

    /** A CLI command's console and target output (monitor replies come as target output). */
    private String consoleText(String cli) throws DebugFailure {
        StringBuilder text = new StringBuilder();
        dev.rewind.plugin.mi.MiListener collect = new dev.rewind.plugin.mi.MiListener() {
            @Override
            public void onAsync(MiRecord.Async record) {
            }

            @Override
            public void onStream(MiRecord.Stream record) {
                if (record.kind() != MiRecord.Stream.LOG) {
                    synchronized (text) {
                        text.append(record.text());
                    }
                }
            }
        };
        gdb.addListener(collect);
        try {
            console(cli);
        } finally {
            gdb.removeListener(collect);
        }
        synchronized (text) {
            return text.toString();
        }
    }
}
