package dev.rewind.plugin.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.core.runtime.CoreException;

/**
 * Keeps gdb's breakpoints equal to the platform's Rewind line breakpoints, and tells Rewind's
 * gdbserver which of them take a checkpoint on each hit. Every call needs gdb stopped (the debug
 * target makes sure). Not thread-safe: used on the target's event thread.
 */
final class BreakpointSync {
    private final GdbControl gdb;
    private final Map<RewindLineBreakpoint, GdbControl.Inserted> installed = new LinkedHashMap<>();
    private final Map<RewindLineBreakpoint, Boolean> checkpointing = new LinkedHashMap<>();

    BreakpointSync(GdbControl gdb) {
        this.gdb = gdb;
    }

    void install(RewindLineBreakpoint bp) throws DebugFailure, CoreException {
        if (installed.containsKey(bp)) {
            return;
        }
        installed.put(bp, gdb.insertBreakpoint(bp.sourcePath(), bp.getLineNumber(), bp.isEnabled()));
        checkpointing.put(bp, bp.checkpointOnHit());
        if (bp.checkpointOnHit()) {
            updateCheckpointAddresses();
        }
    }

    void remove(RewindLineBreakpoint bp) throws DebugFailure {
        GdbControl.Inserted i = installed.remove(bp);
        Boolean checkpoints = checkpointing.remove(bp);
        if (i != null) {
            gdb.deleteBreakpoint(i.number());
            if (Boolean.TRUE.equals(checkpoints)) {
                updateCheckpointAddresses();
            }
        }
    }

    /** The enabled state or "checkpoint when hit" changed (or the line moved: set it again). */
    void changed(RewindLineBreakpoint bp) throws DebugFailure, CoreException {
        GdbControl.Inserted i = installed.get(bp);
        if (i == null) {
            install(bp);
            return;
        }
        gdb.enableBreakpoint(i.number(), bp.isEnabled());
        if (!checkpointing.get(bp).equals(bp.checkpointOnHit())) {
            checkpointing.put(bp, bp.checkpointOnHit());
            updateCheckpointAddresses();
        }
    }

    /** The platform breakpoint behind gdb's breakpoint {@code number}, or null (gdb's own, e.g. main's). */
    RewindLineBreakpoint byNumber(int number) {
        for (Map.Entry<RewindLineBreakpoint, GdbControl.Inserted> e : installed.entrySet()) {
            if (e.getValue().number() == number) {
                return e.getKey();
            }
        }
        return null;
    }

    private void updateCheckpointAddresses() throws DebugFailure {
        List<Long> addresses = new ArrayList<>();
        for (Map.Entry<RewindLineBreakpoint, GdbControl.Inserted> e : installed.entrySet()) {
            if (Boolean.TRUE.equals(checkpointing.get(e.getKey()))) {
                addresses.addAll(e.getValue().addresses());
            }
        }
        gdb.checkpointAt(addresses);
    }
}
