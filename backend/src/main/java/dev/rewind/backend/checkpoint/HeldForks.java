package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import dev.rewind.backend.trace.Tracer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Children of the live process that a client was told of at their fork (gdb with fork events:
 * its new inferiors). Each is held at its first instruction until the client lets it go
 * (detach: it runs on, still traced for checkpoints), runs it, or kills it; its end is then the
 * client's to hear. Tracer thread only.
 */
final class HeldForks {
    private final Tracer tracer;
    private final Map<Integer, TracedProcess> held = new LinkedHashMap<>();
    /** Per held child, the client's breakpoints in it: address → the byte the int3 replaced. */
    private final Map<Integer, Map<Long, Byte>> breakpoints = new HashMap<>();
    /** Per held child, the client's hardware watchpoints: its own debug registers (a fork inherits none). */
    private final Map<Integer, DebugRegisters> watchpoints = new HashMap<>();
    private final IntSupplier watchpointIds;

    HeldForks(Tracer tracer, IntSupplier watchpointIds) {
        this.tracer = tracer;
        this.watchpointIds = watchpointIds;
    }

    /**
     * Holds a child that the tracer already knows. If it is through its first stop already (its
     * first stop can be seen before its parent's fork event), it is interrupted and held at the
     * next: a PTRACE_INTERRUPT on a task that stops anyway stops it only once.
     */
    void hold(TracedProcess child) {
        TracedThread leader = child.leader();
        leader.setHeld(true);
        if (!leader.stopped()) {
            try {
                Ptrace.interrupt(leader.tid());
            } catch (LinuxException e) {
                // ended already: its end is reported like any held child's
            }
        }
        held.put(child.pid(), child);
    }

    boolean contains(int pid) {
        return held.containsKey(pid);
    }

    List<Integer> pids() {
        return new ArrayList<>(held.keySet());
    }

    /** A stopped thread of a held child, or empty. */
    Optional<TracedThread> thread(int tid) {
        for (TracedProcess p : held.values()) {
            TracedThread t = p.thread(tid);
            if (t != null) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    TracedProcess process(int pid) {
        TracedProcess p = held.get(pid);
        if (p == null) {
            throw new IllegalArgumentException("process " + pid + " is not a forked child the client holds");
        }
        return p;
    }

    /**
     * The client lets the child go: its breakpoints come out and it runs on, traced for
     * checkpoints only, as an unreported child does.
     */
    void release(int pid) {
        TracedProcess p = process(pid);
        for (long address : new ArrayList<>(breakpointsOf(pid).keySet())) {
            removeBreakpoint(pid, address);
        }
        DebugRegisters registers = watchpoints.get(pid);
        if (registers != null) {
            registers.removeAll(); // cleared in each thread as letRun applies them
        }
        letRun(p, 0);
        forget(pid);
    }

    /** Runs the child, delivering {@code signal} (0: none); the client keeps it, and hears of its end. */
    void run(int pid, int signal) {
        letRun(process(pid), signal);
    }

    void kill(int pid) {
        forget(pid);
        try {
            Signals.kill(pid, Signals.SIGKILL);
        } catch (LinuxException e) {
            // gone already
        }
    }

    /** The end of a held child, for the client; empty for any other process. */
    Optional<StopEvent> ended(TracedProcess p, int status) {
        if (!held.containsKey(p.pid())) {
            return Optional.empty();
        }
        forget(p.pid());
        return Optional.of(RunControl.ended(p.pid(), p.pid(), status));
    }

    /** After a restart the children of the old tree are gone with it. */
    void clear() {
        held.clear();
        breakpoints.clear();
        watchpoints.clear();
    }

    /**
     * Inserts a breakpoint of the client's into a held child. A child forked with the live
     * process's breakpoints lost them at its fork (the engine takes them out, since nobody may be
     * debugging it); gdb, keeping it, inserts its own.
     */
    void insertBreakpoint(int pid, long address) {
        process(pid);
        Map<Long, Byte> mine = breakpointsOf(pid);
        if (!mine.containsKey(address)) {
            mine.put(address, ProcessMemory.read(pid, address, 1)[0]);
            ProcessMemory.write(pid, address, new byte[] {INT3});
        }
    }

    void removeBreakpoint(int pid, long address) {
        Byte original = breakpointsOf(pid).remove(address);
        if (original != null) {
            try {
                ProcessMemory.write(pid, address, new byte[] {original});
            } catch (LinuxException e) {
                // gone with the child
            }
        }
    }

    /** After the child's exec: its int3s went with the old image, and the kernel cleared its debug registers. */
    void forgetBreakpoints(int pid) {
        breakpoints.remove(pid);
        DebugRegisters registers = watchpoints.get(pid);
        if (registers != null) {
            registers.forgetThreads();
        }
    }

    /** A hardware watchpoint of the client's in a held child; throws when its debug registers are taken. */
    Watchpoint addWatchpoint(int pid, long address, int length, Watchpoint.Kind kind) {
        process(pid);
        return watchpoints.computeIfAbsent(pid, k -> new DebugRegisters(watchpointIds)).add(address, length, kind);
    }

    boolean removeWatchpoint(int pid, int id) {
        DebugRegisters registers = watchpoints.get(pid);
        return registers != null && registers.remove(id);
    }

    /** Before a thread of a held child runs or steps: its process's watchpoints into its registers. */
    void applyWatchpoints(TracedThread t) {
        DebugRegisters registers = watchpoints.get(t.process().pid());
        if (registers != null) {
            registers.applyTo(t.tid());
        }
    }

    /** The watchpoint whose register fired in the held child's thread {@code t} (after a trap), if any. */
    Optional<Watchpoint> watchpointFired(TracedThread t) {
        DebugRegisters registers = watchpoints.get(t.process().pid());
        return registers == null ? Optional.empty() : registers.firedIn(t.tid());
    }

    boolean hasBreakpoint(int pid, long address) {
        return breakpointsOf(pid).containsKey(address);
    }

    /** The child's memory as the client should see it: its own bytes where int3s sit. */
    byte[] read(int pid, long address, int length) {
        process(pid);
        byte[] data = ProcessMemory.read(pid, address, length);
        breakpointsOf(pid).forEach((at, original) -> {
            if (at >= address && at < address + length) {
                data[(int) (at - address)] = original;
            }
        });
        return data;
    }

    /** Writes the child's memory; an inserted breakpoint stays, over the new byte. */
    void write(int pid, long address, byte[] data) {
        process(pid);
        byte[] out = data.clone();
        Map<Long, Byte> mine = breakpointsOf(pid);
        for (int i = 0; i < out.length; i++) {
            if (mine.containsKey(address + i)) {
                mine.put(address + i, out[i]);
                out[i] = INT3;
            }
        }
        ProcessMemory.write(pid, address, out);
    }

    private static final byte INT3 = (byte) 0xcc;

    private Map<Long, Byte> breakpointsOf(int pid) {
        return breakpoints.computeIfAbsent(pid, k -> new HashMap<>());
    }

    private void forget(int pid) {
        held.remove(pid);
        breakpoints.remove(pid);
        watchpoints.remove(pid);
    }

    private void letRun(TracedProcess p, int signal) {
        for (TracedThread t : p.threads()) {
            t.setHeld(false);
            if (t.stopped()) {
                applyWatchpoints(t);
                tracer.resume(t, t.tid() == p.pid() ? signal : 0);
            }
        }
    }
}
