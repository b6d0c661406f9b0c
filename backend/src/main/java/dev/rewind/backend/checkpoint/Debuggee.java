package dev.rewind.backend.checkpoint;

import dev.rewind.backend.elf.AddressSpaceSymbols;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Spawn;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.linux.UserRegs;
import dev.rewind.backend.trace.Reaper;
import dev.rewind.backend.trace.Teardown;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import dev.rewind.backend.trace.Tracer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One program under the backend: its live process, its snapshots and its timeline.
 *
 * <p>Thread-safe: every public method runs its work on the tracer thread, where the state lives.
 */
public final class Debuggee {
    private static final Logger LOG = Logger.getLogger(Debuggee.class.getName());
    /** The snapshots of one checkpoint, root first, parents before children. */
    private record Snapshot(List<TracedProcess> processes, List<SavedProcess> states) {
        TracedProcess root() {
            return processes.get(0);
        }
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
    private final RunControl run;
    private TracedProcess live;
    /** The live process's pid, for the reads made off the tracer thread. */
    private volatile int livePid;
    private volatile CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile boolean stopAtExec;

    Debuggee(Tracer tracer, AtomicLong cridSource, MemoryBudget budget, TracedProcess live, int stdinFd) {
        this.tracer = tracer;
        this.cridSource = cridSource;
        this.budget = budget;
        this.live = live;
        this.livePid = live.pid();
        this.stdinFd = stdinFd;
        this.run = new RunControl(tracer, () -> this.live,
                b -> takeCheckpoint("breakpoint " + b.id(), CheckpointReason.BREAKPOINT).crid());
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

    /**
     * Lets every stopped thread of the live process run; a thread stopped by a signal gets that
     * signal delivered (as a program without a debugger would).
     */
    public void resume() {
        tracer.run(() -> run.resume(Map.of(), true, true));
    }

    /**
     * Lets every stopped thread run as a debugger asks (gdb's {@code c}): delivering
     * {@code signalByTid} (0: none) and no other signal (a signal that stopped a thread not
     * named here is discarded), and from exactly where each thread stands, also on an inserted
     * breakpoint, which it then hits at once. gdb steps over breakpoints itself, and resuming
     * with a signal on one is how it catches the return from the signal's handler.
     */
    public void resume(Map<Integer, Integer> signalByTid) {
        tracer.run(() -> run.resume(signalByTid, false, false));
    }

    /**
     * Stops every thread (all-stop). Queues and returns a {@link StopReason#PAUSED} event for
     * the leader, also when everything was stopped already.
     */
    public StopEvent pause() {
        return tracer.call(run::pause);
    }

    /**
     * Single-steps one thread while the others stay stopped. Returns the STEP event, or the
     * SIGNAL event (or the end of the process) that came instead; a STEP or SIGNAL event is also
     * queued for {@link #awaitStop}, an end is queued when the process is reaped.
     */
    /**
     * Ends a {@link #step} that is blocked in a system call (a read that waits for input), from
     * any thread: that step returns a PAUSED stop. Called just before a step, it applies to that
     * step; a step that ends by itself clears it.
     */
    public void interruptStep() {
        run.interruptStep();
    }

    public StopEvent step(int tid, int signal) {
        return tracer.call(() -> run.step(tid, signal));
    }

    /**
     * Single-steps {@code tid} while its pc stays in [start, end) (gdb's range stepping); the
     * event of the stop that ends it, queued like a step's.
     */
    public StopEvent stepInRange(int tid, long start, long end) {
        return tracer.call(() -> run.stepInRange(tid, start, end));
    }

    /** The next stop or end of the live process, in order; empty when none comes within {@code timeout}. */
    public Optional<StopEvent> awaitStop(Duration timeout) {
        try {
            return run.await(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Whether every thread of the live process is stopped. */
    public boolean isStopped() {
        return tracer.call(() -> live != null && tracer.process(live.pid()) == live
                && live.threads().stream().allMatch(TracedThread::stopped));
    }

    /** Signals delivered to the program without stopping it. */
    public void setPassSignals(Set<Integer> signals) {
        run.setPassSignals(signals);
    }

    /** Inserts a software breakpoint at {@code address}; with {@code checkpointOnHit}, each hit takes a checkpoint first. */
    public Breakpoint setBreakpoint(long address, boolean checkpointOnHit) {
        return tracer.call(() -> {
            checkAlive();
            return run.breakpoints().add(live.pid(), address, checkpointOnHit);
        });
    }

    /** A hardware watchpoint on {@code [address, address + length)}; it takes effect when the debuggee resumes. */
    public Watchpoint setWatchpoint(long address, int length, Watchpoint.Kind kind) {
        return tracer.call(() -> run.addWatchpoint(address, length, kind));
    }

    public boolean removeWatchpoint(int id) {
        return tracer.call(() -> run.removeWatchpoint(id));
    }

    public void removeBreakpoint(int id) {
        tracer.run(() -> {
            int pid = live != null && tracer.process(live.pid()) == live ? live.pid() : -1;
            if (!run.breakpoints().remove(pid, id)) {
                throw new IllegalArgumentException("no breakpoint " + id);
            }
        });
    }

    public List<Breakpoint> breakpoints() {
        return tracer.call(() -> run.breakpoints().all());
    }

    /** General registers of a stopped thread. */
    public UserRegs registers(int tid) {
        return tracer.call(() -> Ptrace.getRegs(stoppedThread(tid).tid()));
    }

    public void setRegisters(int tid, UserRegs regs) {
        tracer.run(() -> Ptrace.setRegs(stoppedThread(tid).tid(), regs));
    }

    /** The XSAVE area (x87, SSE, AVX...) of a stopped thread. */
    /** General registers and XSAVE area of a stopped thread, in one trip to the tracer. */
    public ThreadRegisters allRegisters(int tid) {
        return tracer.call(() -> {
            int t = stoppedThread(tid).tid();
            return new ThreadRegisters(Ptrace.getRegs(t), Ptrace.getXState(t));
        });
    }

    public byte[] xstate(int tid) {
        return tracer.call(() -> Ptrace.getXState(stoppedThread(tid).tid()));
    }

    public void setXState(int tid, byte[] xsave) {
        tracer.run(() -> Ptrace.setXState(stoppedThread(tid).tid(), xsave));
    }

    /** Writes the live process's memory, keeping inserted breakpoints in place. */
    public void writeMemory(long address, byte[] data) {
        tracer.run(() -> {
            checkAlive();
            ProcessMemory.write(live.pid(), address, run.breakpoints().underlay(address, data));
        });
    }

    /** /proc/PID/auxv of the live process. */
    public byte[] auxv() {
        int pid = pid();
        try {
            return java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Integer.toString(pid), "auxv"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The live process's executable. */
    public String executable() {
        return ProcFs.exe(pid());
    }

    /** Who the live process is to the filesystem (from /proc/PID/status: the fourth Uid and Gid fields, Groups). */
    public ProcessIdentity identity() {
        Map<String, String> status = ProcFs.status(pid());
        java.util.Set<Integer> gids = new java.util.HashSet<>();
        gids.add((int) SavedSecurity.numbers(status.get("Gid"))[3]);
        for (long g : SavedSecurity.numbers(status.get("Groups"))) {
            gids.add((int) g);
        }
        return new ProcessIdentity((int) SavedSecurity.numbers(status.get("Uid"))[3], gids);
    }

    /** The executable of the live process or of a held child. */
    public String executable(int pid) {
        return pid == pid() ? executable() : tracer.call(() -> ProcFs.exe(run.forks().process(pid).pid()));
    }

    private TracedThread stoppedThread(int tid) {
        checkAlive();
        TracedThread t = live.thread(tid) != null ? live.thread(tid) : run.forks().thread(tid).orElse(null);
        if (t == null) {
            throw new IllegalArgumentException("no thread " + tid + " in process " + live.pid());
        }
        if (!t.stopped()) {
            throw new IllegalStateException("thread " + tid + " is running; pause first");
        }
        return t;
    }

    public TimelineEntry checkpoint(String label, CheckpointReason reason) {
        TimelineEntry entry = tracer.call(() -> {
            checkAlive();
            return takeCheckpoint(label, reason);
        });
        applyBudget();
        return entry;
    }

    /** On the tracer thread. */
    private TimelineEntry takeCheckpoint(String label, CheckpointReason reason) {
        if (run.vforkChild() != 0 && live.threads().stream().anyMatch(TracedThread::stopped)) {
            // Held at its vfork for a client: a checkpoint's calls would run the vfork on, which
            // waits for the child (held too). Running, it is met by the freeze's bound instead.
            throw new IllegalStateException("process " + live.pid() + " is inside vfork (child " + run.vforkChild()
                    + " shares its memory until it execs or exits); let the child run first");
        }
        List<SnapshotTaker.Taken> taken = SnapshotTaker.takeTree(tracer, liveTree(), run.breakpoints());
        Crid crid = new Crid(cridSource.incrementAndGet());
        snapshots.put(crid, new Snapshot(taken.stream().map(SnapshotTaker.Taken::snapshot).toList(),
                taken.stream().map(SnapshotTaker.Taken::state).toList()));
        SnapshotTaker.Taken root = taken.get(0);
        List<String> warnings = new ArrayList<>();
        for (SnapshotTaker.Taken t : taken) {
            for (String w : t.warnings()) {
                warnings.add(taken.size() == 1 ? w : "process " + t.state().pid() + ": " + w);
            }
        }
        TimelineEntry e = new TimelineEntry(crid, label, reason, Instant.now(), timeline.current(),
                taken.stream().map(t -> t.state().pid()).toList(), locations(root.snapshot().pid(), root.state()),
                root.downtimeNanos() / 1000, 0, 0, "memory", warnings);
        timeline.add(e);
        return e;
    }

    private void applyBudget() {
        if (!budget.limited()) {
            return; // spares every checkpoint a smaps_rollup read of every snapshot
        }
        List<Crid> drop = budget.toDrop(timeline());
        for (Crid c : drop) {
            drop(c);
        }
    }

    /** Kills the live process and makes a new one from the snapshot {@code crid}, which stays for reuse; it runs on. */
    public RestartResult restart(Crid crid) {
        return restart(crid, true);
    }

    /**
     * Kills the live process and makes a new one from the snapshot {@code crid}, which stays for
     * reuse. With {@code resumeAfter} false the new process stays stopped at the checkpoint
     * (what a debugger wants), with the current breakpoints inserted.
     */
    public RestartResult restart(Crid crid, boolean resumeAfter) {
        return restart(crid, resumeAfter, RestartProgress.NONE);
    }

    /** As {@link #restart(Crid, boolean)}, reporting each process of the tree as it comes back. */
    public RestartResult restart(Crid crid, boolean resumeAfter, RestartProgress progress) {
        return tracer.call(() -> {
            Snapshot s = snapshots.get(crid);
            if (s == null) {
                throw new UnknownCheckpointException(crid);
            }
            long start = System.nanoTime();
            List<TracedProcess> standIns = List.of();
            if (live != null && !live.exited() && tracer.process(live.pid()) == live) {
                standIns = ProcessTrees.kill(tracer, live);
            }
            int total = s.states().size();
            ProcessTrees.Restored r;
            try {
                r = ProcessTrees.restore(tracer, s.processes(), s.states(), progress);
            } finally {
                // The old tree's memory is freed now, while the restored one is already there.
                standIns.forEach(Teardown::release);
            }
            live = r.root();
            livePid = live.pid();
            exit = new CompletableFuture<>();
            List<String> warnings = r.warnings();
            List<TracedProcess> children = r.children();
            run.breakpoints().insertInto(live.pid());
            run.forgetHeldSignals();
            if (resumeAfter) {
                for (TracedThread t : live.threads()) {
                    tracer.resume(t, 0);
                }
            }
            // Children are not under a debugger's all-stop control: they run on.
            for (TracedProcess c : children) {
                for (TracedThread t : c.threads()) {
                    tracer.resume(t, 0);
                }
            }
            long micros = (System.nanoTime() - start) / 1000;
            progress.report("restarted", total, total);
            timeline.restartedFrom(crid);
            return new RestartResult(crid, live.pid(), live.threads().stream().map(TracedThread::tid).toList(), micros,
                    warnings);
        });
    }

    /** Kills the live tree (tracer thread). */
    private void killTree() {
        ProcessTrees.kill(tracer, live).forEach(Teardown::release);
    }

    /** The live tree, root first (tracer thread). */
    private List<TracedProcess> liveTree() {
        return ProcessTrees.live(tracer, live);
    }

    /** Every process of the live tree: pid, parent, group, session, executable, threads, state. */
    public List<ProcessInfo> tree() {
        return tracer.call(() -> {
            checkAlive();
            List<ProcessInfo> out = new ArrayList<>();
            for (TracedProcess p : liveTree()) {
                try {
                    ProcFs.ProcessIds ids = ProcFs.ids(p.pid());
                    out.add(new ProcessInfo(p.pid(), ids.ppid(), ids.pgid(), ids.sid(), ProcFs.exe(p.pid()),
                            p.threads().stream().map(TracedThread::tid).toList(), state(p)));
                } catch (LinuxException e) {
                    // ended while we looked
                }
            }
            return out;
        });
    }

    /** The kernel's state letter and word, and which job-control signal stopped it, if one did. */
    private static String state(TracedProcess p) {
        String state = ProcFs.status(p.pid()).getOrDefault("State", "?");
        int stop = p.leader() == null ? 0 : p.leader().jobControlStop();
        return stop == 0 ? state : state + " by " + Signals.name(stop) + Signals.jobControlHint(stop);
    }

    /** Frees the snapshot {@code crid}. */
    public void drop(Crid crid) {
        tracer.run(() -> {
            Snapshot s = snapshots.remove(crid);
            if (s == null) {
                throw new UnknownCheckpointException(crid);
            }
            s.processes().forEach(p -> Reaper.killAndReap(tracer, p));
            timeline.remove(crid);
        });
    }

    /** Renames checkpoint {@code crid} ({@code label} may be empty); answers its new entry. */
    public TimelineEntry label(Crid crid, String label) {
        return tracer.call(() -> timeline.relabel(crid, label == null ? "" : label));
    }

    /**
     * How many checkpoints were added, dropped or renamed so far; any thread may ask, without waiting for
     * the tracer (it changes when a gdb's monitor command or a breakpoint takes a checkpoint).
     */
    public long timelineChanges() {
        return timeline.changes();
    }

    /** The pids of the snapshots of {@code crid}, root first (tracer thread). */
    private List<Integer> snapshotPids(Crid crid) {
        return snapshots.get(crid).processes().stream().map(TracedProcess::pid).toList();
    }

    /** The crids on the timeline, oldest first; nothing is measured, so this is cheap. */
    public List<Crid> crids() {
        return tracer.call(() -> timeline.entries().stream().map(TimelineEntry::crid).toList());
    }

    /** The timeline, with each snapshot's memory cost measured now. */
    public List<TimelineEntry> timeline() {
        return timeline(crid -> true);
    }

    /** The entries of the timeline that {@code wanted} picks, with their memory cost measured now. */
    public List<TimelineEntry> timeline(Predicate<Crid> wanted) {
        record Unmeasured(TimelineEntry entry, List<Integer> pids) {
        }
        List<Unmeasured> entries = tracer.call(() -> timeline.entries().stream().filter(e -> wanted.test(e.crid()))
                .map(e -> new Unmeasured(e, snapshotPids(e.crid()))).toList());
        // Measured here, not on the tracer thread: smaps_rollup computes the proportional share
        // of every page a snapshot shares, about 14 ms per GiB, which stepping in gdb would wait for.
        List<TimelineEntry> out = new ArrayList<>();
        for (Unmeasured u : entries) {
            long priv = 0;
            long pss = 0;
            try {
                for (int pid : u.pids()) {
                    Map<String, Long> m = ProcFs.smapsRollup(pid);
                    priv += m.getOrDefault("Private_Clean", 0L) + m.getOrDefault("Private_Dirty", 0L);
                    pss += m.getOrDefault("Pss", 0L);
                }
            } catch (LinuxException ex) {
                // snapshot gone (dropped meanwhile): cost 0
            }
            TimelineEntry e = u.entry();
            out.add(new TimelineEntry(e.crid(), e.label(), e.reason(), e.createdAt(), e.parent(), e.processes(),
                    e.threads(), e.downtimeMicros(), priv, pss, e.imageState(), e.warnings()));
        }
        return out;
    }

    /**
     * Writes checkpoints ({@code crids}; every checkpoint when empty) into the image file
     * {@code path}, creating it or appending to it, while the debuggee runs on: memory is read
     * from the stopped snapshots, never from the live process, so the write costs the debuggee no
     * downtime. Runs on the caller's thread; {@code progress} hears bytes done and bytes in all.
     * Returns the file's size afterwards.
     */
    public long writeBack(List<Crid> crids, Path path, BiConsumer<Long, Long> progress) {
        List<ImageWriter.Source> sources = tracer.call(() -> {
            List<ImageWriter.Source> out = new ArrayList<>();
            for (TimelineEntry e : timeline.entries()) {
                if (crids.isEmpty() || crids.contains(e.crid())) {
                    Snapshot s = snapshots.get(e.crid());
                    // Read from the snapshots here: dispositions need calls injected into them (tracer thread).
                    List<ImageFormat.ProcessExtras> extras = s.processes().stream()
                            .map(p -> ImageFormat.ProcessExtras.of(new SnapshotSource(p))).toList();
                    out.add(new ImageWriter.Source(e, s.states(), extras, s.processes().stream().map(TracedProcess::pid).toList()));
                }
            }
            for (Crid c : crids) {
                if (out.stream().noneMatch(x -> x.entry().crid().equals(c))) {
                    throw new UnknownCheckpointException(c);
                }
            }
            return out;
        });
        try {
            return ImageWriter.append(path, sources, progress::accept);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + path + ": " + cause(e), e);
        }
    }

    /** What went wrong, in words: a FileSystemException's message repeats the path and may lack the reason. */
    private static String cause(java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
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
            return s.root().pid();
        });
    }

    /**
     * Reads the live process's memory; inserted breakpoints are shadowed by their original bytes.
     * On the calling thread: process_vm_readv needs the right to ptrace, not the tracer, and a
     * debugger's stop is followed by dozens of reads, each of which would otherwise wait for the
     * tracer thread to be woken.
     */
    public byte[] readMemory(long address, int length) {
        int pid = livePid;
        if (pid <= 0 || exit.isDone()) {
            throw new DebuggeeExitedException();
        }
        byte[] data = ProcessMemory.read(pid, address, length);
        run.breakpoints().shadowPublished(address, data);
        return data;
    }

    /** Reads a snapshot's memory: the state at the checkpoint. */
    public byte[] readSnapshotMemory(Crid crid, long address, int length) {
        return ProcessMemory.readShared(snapshotPid(crid), address, length);
    }

    /** The run-time address of an ELF symbol (function or variable) in the live process. */
    public long symbolAddress(String name) {
        int pid = pid();
        return symbols.address(fileMappings(pid), name)
                .orElseThrow(() -> new IllegalArgumentException("no symbol '" + name + "' in process " + pid));
    }

    /** "function+0x12" for an address of the live process, or null where no symbol table covers it. */
    public String describe(long pc) {
        int pid = pid();
        return symbols.describe(fileMappings(pid), pc);
    }

    /**
     * Lets go of a process we attached to: drops every snapshot, takes the breakpoints out and
     * detaches, leaving it running as we found it. A launched debuggee is killed instead.
     */
    public void detach() {
        tracer.run(() -> {
            for (Snapshot s : snapshots.values()) {
                s.processes().forEach(p -> Reaper.killAndReap(tracer, p));
            }
            snapshots.clear();
            for (TimelineEntry e : timeline.entries()) {
                timeline.remove(e.crid());
            }
            if (live == null || tracer.process(live.pid()) != live) {
                return;
            }
            if (live.origin() == TracedProcess.Origin.ATTACHED) {
                run.breakpoints().removeFrom(live.pid());
                dev.rewind.backend.trace.Detacher.detach(tracer, live);
            } else {
                killTree();
            }
            exit.complete(0);
        });
    }

    /**
     * Kills the live tree and keeps every checkpoint (gdb's {@code kill}: a later {@code run cN}
     * restarts from one).
     */
    public void killLive() {
        tracer.run(() -> {
            if (live != null && tracer.process(live.pid()) == live) {
                killTree();
                exit.complete(9);
                run.queue(RunControl.ended(live.pid(), live.pid(), 9));
            }
        });
    }

    /** Kills the live process and every snapshot. */
    public void kill() {
        tracer.run(() -> {
            if (live != null && tracer.process(live.pid()) == live) {
                killTree();
                exit.complete(9);
            }
            for (Snapshot s : snapshots.values()) {
                s.processes().forEach(p -> Reaper.killAndReap(tracer, p));
            }
            snapshots.clear();
            for (TimelineEntry e : timeline.entries()) {
                timeline.remove(e.crid());
            }
        });
    }

    /** Called on the tracer thread when a traced process ends. */
    /**
     * Called on the tracer thread when a process of the tree forks, before the child has run an
     * instruction. The child of the live process inherited its breakpoints; nobody debugs it (it
     * runs free, traced for checkpoints only), so an int3 would kill it with SIGTRAP. They come
     * out of its memory, unless it shares the parent's (vfork, CLONE_VM), where that would take
     * them out of the parent too; such a child execs or exits before the parent runs on.
     */
    void processCreated(TracedProcess parent, TracedProcess child) {
        if (parent != live || run.breakpoints().isEmpty()) {
            return;
        }
        try {
            if (!Syscall.shareMemory(parent.pid(), child.pid())) {
                run.breakpoints().removeFrom(child.pid());
            }
        } catch (LinuxException e) {
            LOG.log(Level.FINE, "breakpoints out of child " + child.pid(), e);
        }
    }

    /** Called on the tracer thread when a process of the tree exec'd; true to hold it there. */
    boolean processExeced(TracedProcess p, boolean canHold) {
        if (p != live) {
            return run.forkExeced(p, canHold && stopAtExec);
        }
        boolean stop = canHold && stopAtExec;
        run.programReplaced(p, stop);
        return stop;
    }

    /**
     * Whether an exec of the live process stops it (a StopEvent with reason EXEC) rather than
     * letting it run on. A gdb that asked for exec events wants it; off by default.
     */
    public void setStopAtExec(boolean stop) {
        stopAtExec = stop;
    }

    void processExited(TracedProcess p, int status) {
        if (p == live) {
            exit.complete(status);
            run.queue(RunControl.ended(p.pid(), p.pid(), status));
        } else {
            run.forks().ended(p, status).ifPresent(run::queue);
        }
    }

    /** Called on the tracer thread when the live process forked or vforked; true to hold it there. */
    boolean processForked(TracedThread parent, TracedProcess child, boolean vfork) {
        return run.forked(parent, child, vfork);
    }

    /** Called on the tracer thread when a vfork of the live process is over; true to hold it there. */
    boolean vforkDone(TracedThread parent) {
        return run.vforkDone(parent);
    }

    /**
     * Whether a fork or vfork of the live process stops it (a StopEvent with reason FORK or
     * VFORK, and VFORK_DONE when a vfork is over) and holds the child at its first instruction
     * for the client, as gdb with fork events wants; off by default (children run free, traced
     * for checkpoints). A fork met during a checkpoint's freeze is not reported: that child runs
     * free.
     */
    public void setStopAtFork(boolean fork, boolean vfork) {
        run.setStopAtFork(fork, vfork);
    }

    /** The forked children held for the client (reported by a FORK stop, not released yet). */
    public List<Integer> forkedChildren() {
        return tracer.call(() -> run.forks().pids());
    }

    /** The client lets a forked child go: it runs on, traced for checkpoints only. */
    public void releaseChild(int pid) {
        tracer.run(() -> run.forks().release(pid));
    }

    /**
     * Runs a held child, delivering {@code signal} (0: none); its stops (its breakpoints, signals
     * not passed through) and its end come as stop events with its pid.
     */
    public void resumeChild(int pid, int signal) {
        tracer.run(() -> run.forks().run(pid, signal));
    }

    /** A breakpoint in a held child (the client's own; the live process's are not in it). */
    public void setChildBreakpoint(int pid, long address) {
        tracer.run(() -> run.forks().insertBreakpoint(pid, address));
    }

    public void removeChildBreakpoint(int pid, long address) {
        tracer.run(() -> run.forks().removeBreakpoint(pid, address));
    }

    /** A hardware watchpoint in a held child (its own debug registers); its hits come as WATCHPOINT stops with its pid. */
    public Watchpoint setChildWatchpoint(int pid, long address, int length, Watchpoint.Kind kind) {
        return tracer.call(() -> run.forks().addWatchpoint(pid, address, length, kind));
    }

    public boolean removeChildWatchpoint(int pid, int id) {
        return tracer.call(() -> run.forks().removeWatchpoint(pid, id));
    }

    public void killChild(int pid) {
        tracer.run(() -> run.forks().kill(pid));
    }

    /** The thread ids of the live process or of a held child. */
    public List<Integer> threadIds(int pid) {
        return tracer.call(() -> {
            if (live != null && pid == live.pid()) {
                return live.threads().stream().map(TracedThread::tid).toList();
            }
            return run.forks().process(pid).threads().stream().map(TracedThread::tid).toList();
        });
    }

    /** Reads the memory of the live process (breakpoints shadowed) or of a held child. */
    public byte[] readMemory(int pid, long address, int length) {
        if (pid == pid()) {
            return readMemory(address, length);
        }
        return tracer.call(() -> run.forks().read(pid, address, length));
    }

    /** Writes the memory of the live process (breakpoints kept) or of a held child. */
    public void writeMemory(int pid, long address, byte[] data) {
        if (pid == pid()) {
            writeMemory(address, data);
            return;
        }
        tracer.run(() -> run.forks().write(pid, address, data));
    }

    /** Called on the tracer thread for a signal-delivery-stop of any traced thread. */
    int signalReceived(TracedThread t, int signal) {
        return t.process() == live ? run.onSignal(t, signal) : signal;
    }

    /** Called on the tracer thread for a launch held at its first instruction. */
    void heldAtEntry() {
        run.queue(new StopEvent(StopReason.ENTRY, live.pid(), live.pid(), 0, Ptrace.getRegs(live.pid()), 0, 0, null));
    }

    /** Whether {@code p} is this debuggee's live process (tracer thread). */
    boolean owns(TracedProcess p) {
        return p == live;
    }

    /** Whether {@code p} is a forked child held for this debuggee's client (tracer thread). */
    boolean holdsFork(TracedProcess p) {
        return run.forks().contains(p.pid());
    }

    /** Called on the tracer thread for a signal-delivery-stop of a held child's thread. */
    int forkSignalReceived(TracedThread t, int signal) {
        return run.onForkSignal(t, signal);
    }

    private void checkAlive() {
        if (live == null || live.exited() || tracer.process(live.pid()) != live) {
            throw new DebuggeeExitedException();
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
