package dev.rewind.backend.checkpoint;

import dev.rewind.backend.elf.AddressSpaceSymbols;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Spawn;
import dev.rewind.backend.trace.Reaper;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import dev.rewind.backend.trace.Tracer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One program under the backend: its live process, its snapshots and its timeline.
 *
 * <p>Thread-safe: every public method runs its work on the tracer thread, where the state lives.
 */
public final class Debuggee {
    private record Snapshot(TracedProcess process, SavedProcess state) {
    }

    private final Tracer tracer;
    private final AtomicLong cridSource;
    private final MemoryBudget budget;
    private final AddressSpaceSymbols symbols = new AddressSpaceSymbols();
    private final Map<Crid, Snapshot> snapshots = new HashMap<>();
    private final Timeline timeline = new Timeline();
    private final OutputLog stdout = new OutputLog();
    private final OutputLog stderr = new OutputLog();
    private final int stdinFd;
    private TracedProcess live;
    private volatile CompletableFuture<Integer> exit = new CompletableFuture<>();

    Debuggee(Tracer tracer, AtomicLong cridSource, MemoryBudget budget, TracedProcess live, int stdinFd) {
        this.tracer = tracer;
        this.cridSource = cridSource;
        this.budget = budget;
        this.live = live;
        this.stdinFd = stdinFd;
    }

    /** The live process's pid (the same across restarts when pids can be kept). */
    public int pid() {
        return tracer.call(() -> live.pid());
    }

    public List<Integer> threadIds() {
        return tracer.call(() -> live.threads().stream().map(TracedThread::tid).toList());
    }

    public OutputLog stdout() {
        return stdout;
    }

    public OutputLog stderr() {
        return stderr;
    }

    /** Completes with the raw wait status when the live process ends; a restart starts a new one. */
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /** Writes to the debuggee's stdin pipe (launched with stdin "pipe"). */
    public void writeStdin(byte[] data) {
        if (stdinFd < 0) {
            throw new IllegalStateException("stdin of this debuggee is not a pipe");
        }
        Spawn.writeFully(stdinFd, data);
    }

    /** Lets every stopped thread of the live process run. */
    public void resume() {
        tracer.run(() -> {
            checkAlive();
            for (TracedThread t : live.threads()) {
                if (t.stopped()) {
                    tracer.resume(t, 0);
                }
            }
        });
    }

    public TimelineEntry checkpoint(String label, CheckpointReason reason) {
        TimelineEntry entry = tracer.call(() -> {
            checkAlive();
            SnapshotTaker.Taken taken = SnapshotTaker.take(tracer, live);
            Crid crid = new Crid(cridSource.incrementAndGet());
            snapshots.put(crid, new Snapshot(taken.snapshot(), taken.state()));
            TimelineEntry e = new TimelineEntry(crid, label, reason, Instant.now(), timeline.current(),
                    List.of(taken.state().pid()), locations(taken.snapshot().pid(), taken.state()),
                    taken.downtimeNanos() / 1000, 0, 0, "memory", taken.warnings());
            timeline.add(e);
            return e;
        });
        applyBudget();
        return entry;
    }

    private void applyBudget() {
        List<Crid> drop = budget.toDrop(timeline());
        for (Crid c : drop) {
            drop(c);
        }
    }

    /** Kills the live process and makes a new one from the snapshot {@code crid}, which stays for reuse. */
    public RestartResult restart(Crid crid) {
        return tracer.call(() -> {
            Snapshot s = snapshots.get(crid);
            if (s == null) {
                throw new UnknownCheckpointException(crid);
            }
            long start = System.nanoTime();
            if (live != null && !live.exited() && tracer.process(live.pid()) == live) {
                Reaper.killAndReap(tracer, live);
            }
            Restorer.Restored r = Restorer.restore(tracer, s.process(), s.state());
            live = r.process();
            exit = new CompletableFuture<>();
            for (TracedThread t : live.threads()) {
                tracer.resume(t, 0);
            }
            long micros = (System.nanoTime() - start) / 1000;
            timeline.restartedFrom(crid);
            return new RestartResult(crid, live.pid(), live.threads().stream().map(TracedThread::tid).toList(), micros,
                    r.warnings());
        });
    }

    /** Frees the snapshot {@code crid}. */
    public void drop(Crid crid) {
        tracer.run(() -> {
            Snapshot s = snapshots.remove(crid);
            if (s == null) {
                throw new UnknownCheckpointException(crid);
            }
            Reaper.killAndReap(tracer, s.process());
            timeline.remove(crid);
        });
    }

    /** The timeline, with each snapshot's memory cost measured now. */
    public List<TimelineEntry> timeline() {
        return tracer.call(() -> {
            List<TimelineEntry> out = new ArrayList<>();
            for (TimelineEntry e : timeline.entries()) {
                Snapshot s = snapshots.get(e.crid());
                long priv = 0;
                long pss = 0;
                try {
                    Map<String, Long> m = ProcFs.smapsRollup(s.process().pid());
                    priv = m.getOrDefault("Private_Clean", 0L) + m.getOrDefault("Private_Dirty", 0L);
                    pss = m.getOrDefault("Pss", 0L);
                } catch (LinuxException ex) {
                    // snapshot gone: cost 0
                }
                out.add(new TimelineEntry(e.crid(), e.label(), e.reason(), e.createdAt(), e.parent(), e.processes(),
                        e.threads(), e.downtimeMicros(), priv, pss, e.imageState(), e.warnings()));
            }
            return out;
        });
    }

    /** The crid the live process descends from, or null. */
    public Crid current() {
        return tracer.call(timeline::current);
    }

    /** The pid of the snapshot process behind {@code crid} (for tests and diagnostics). */
    public int snapshotPid(Crid crid) {
        return tracer.call(() -> {
            Snapshot s = snapshots.get(crid);
            if (s == null) {
                throw new UnknownCheckpointException(crid);
            }
            return s.process().pid();
        });
    }

    /** Reads the live process's memory. */
    public byte[] readMemory(long address, int length) {
        int pid = pid();
        return ProcessMemory.read(pid, address, length);
    }

    /** Reads a snapshot's memory: the state at the checkpoint. */
    public byte[] readSnapshotMemory(Crid crid, long address, int length) {
        return ProcessMemory.read(snapshotPid(crid), address, length);
    }

    /** The run-time address of an ELF symbol (function or variable) in the live process. */
    public long symbolAddress(String name) {
        int pid = pid();
        return symbols.address(fileMappings(pid), name)
                .orElseThrow(() -> new IllegalArgumentException("no symbol '" + name + "' in process " + pid));
    }

    /** Kills the live process and every snapshot. */
    public void kill() {
        tracer.run(() -> {
            if (live != null && tracer.process(live.pid()) == live) {
                Reaper.killAndReap(tracer, live);
                exit.complete(9);
            }
            for (Snapshot s : snapshots.values()) {
                Reaper.killAndReap(tracer, s.process());
            }
            snapshots.clear();
            for (TimelineEntry e : timeline.entries()) {
                timeline.remove(e.crid());
            }
        });
    }

    /** Called on the tracer thread when a traced process ends. */
    void processExited(TracedProcess p, int status) {
        if (p == live) {
            exit.complete(status);
        }
    }

    private void checkAlive() {
        if (live == null || live.exited() || tracer.process(live.pid()) != live) {
            throw new IllegalStateException("the debuggee has exited; restart it from a checkpoint");
        }
    }

    private List<ThreadLocation> locations(int pid, SavedProcess state) {
        List<AddressSpaceSymbols.FileMapping> maps = fileMappings(pid);
        return state.threads().stream()
                .map(t -> new ThreadLocation(t.tid(), t.registers().rip, symbols.describe(maps, t.registers().rip)))
                .toList();
    }

    private static List<AddressSpaceSymbols.FileMapping> fileMappings(int pid) {
        List<AddressSpaceSymbols.FileMapping> out = new ArrayList<>();
        for (MemoryMapping m : ProcFs.maps(pid)) {
            out.add(new AddressSpaceSymbols.FileMapping(m.start(), m.end(), m.offset(), m.path()));
        }
        return out;
    }
}
