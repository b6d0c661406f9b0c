package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.UserRegs;
import dev.rewind.backend.trace.Freezer;
import dev.rewind.backend.trace.Stepper;
import dev.rewind.backend.trace.SyscallInjector;
import dev.rewind.backend.trace.TraceListener;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import dev.rewind.backend.trace.Tracer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * All-stop run control of one debuggee, as gdbserver does it: when one thread stops for a
 * breakpoint or a signal, every other thread is stopped too, and one event is queued; resuming
 * lets them all go again. Breakpoints are int3 bytes; a thread sitting on one is stepped over it
 * (original byte back for one instruction) before it continues.
 *
 * <p>State is confined to the tracer thread except the event queue, which any thread may read.
 */
final class RunControl {
    /** Signals that by default go to the program without stopping it: they are part of normal life. */
    static final Set<Integer> DEFAULT_PASS = Set.of(Signals.SIGCHLD, Signals.SIGALRM, Signals.SIGURG, 28 /* SIGWINCH */,
            26 /* SIGVTALRM */, 27 /* SIGPROF */, 29 /* SIGIO */, Signals.SIGCONT);

    private final Tracer tracer;
    private final Supplier<TracedProcess> live;
    private final Function<Breakpoint, Crid> checkpointOnHit;
    private final BreakpointTable breakpoints = new BreakpointTable();
    /** Watchpoint ids, unique across the live process and its held children (a stop names one). */
    private final IntSupplier watchpointIds = new AtomicInteger(1)::getAndIncrement;
    private final DebugRegisters debugRegisters = new DebugRegisters(watchpointIds);
    private final HeldForks forks;
    private final LinkedBlockingQueue<StopEvent> events = new LinkedBlockingQueue<>();
    /** Signals that stopped a thread, delivered when a client resumes without naming a signal. */
    private final Map<Integer, Integer> heldSignals = new HashMap<>();
    private volatile Set<Integer> passSignals = DEFAULT_PASS;
    /** Set from any thread to stop a single-step that is blocked in a system call. */
    private volatile boolean stepInterrupt;
    /** A fork of the live process stops it, and the child is held for the client. */
    private volatile boolean stopAtFork;
    /** A vfork of the live process stops it likewise, and VFORK_DONE is reported. */
    private volatile boolean stopAtVfork;
    /** The child of a vfork of the live process that has not exec'd or exited yet, or 0. */
    private int vforkChild;
    /** That vfork was reported (its end will be). */
    private boolean vforkReported;

    RunControl(Tracer tracer, Supplier<TracedProcess> live, Function<Breakpoint, Crid> checkpointOnHit) {
        this.tracer = tracer;
        this.live = live;
        this.checkpointOnHit = checkpointOnHit;
        this.forks = new HeldForks(tracer, watchpointIds);
    }

    HeldForks forks() {
        return forks;
    }

    void setStopAtFork(boolean fork, boolean vfork) {
        stopAtFork = fork;
        stopAtVfork = vfork;
    }

    /**
     * The tracer's fork hook ({@code parent} is in its fork event stop): with fork stops on, the
     * child is held, the parent finishes the call (so rax holds the child's pid, as the program
     * will see it, and a checkpoint taken at this stop injects nothing into a half-done fork),
     * every other thread stops, and a FORK event is queued.
     */
    boolean forked(TracedThread parent, TracedProcess child, boolean vfork) {
        TracedProcess p = live.get();
        if (p == null || parent.process() != p) {
            return false;
        }
        if (vfork) {
            return vforked(p, parent, child);
        }
        if (!stopAtFork) {
            return false;
        }
        forks.hold(child);
        Stepper.Result r = Stepper.step(tracer, parent, 0);
        if (r.outcome() == Stepper.Outcome.EXITED) {
            return true; // killed meanwhile: the loop reports its end
        }
        if (r.outcome() == Stepper.Outcome.SIGNAL) {
            parent.setDeferredSignal(r.signal());
        }
        stopAllBut(p);
        queue(forkStop(p, parent.tid(), child.pid()));
        return true;
    }

    /**
     * A vfork child runs in its parent's memory until it execs or exits: the breakpoints come out
     * of that memory (they would kill the child with SIGTRAP) and go back in at vfork-done. The
     * parent stays in the call meanwhile (its other threads run without breakpoints for that
     * while, as under gdb). The parent is not stepped out of the call: that would wait for the
     * child.
     */
    private boolean vforked(TracedProcess p, TracedThread parent, TracedProcess child) {
        vforkChild = child.pid();
        breakpoints.removeFrom(p.pid());
        vforkReported = stopAtVfork;
        if (!vforkReported) {
            return false;
        }
        forks.hold(child);
        stopAllBut(p);
        queue(new StopEvent(StopReason.VFORK, p.pid(), parent.tid(), Signals.SIGTRAP, registersOf(parent.tid()), 0, 0,
                null, child.pid()));
        return true;
    }

    /** The tracer's vfork-done hook: the breakpoints go back in; with fork stops on, a VFORK_DONE stop. */
    boolean vforkDone(TracedThread parent) {
        TracedProcess p = live.get();
        if (p == null || parent.process() != p || vforkChild == 0) {
            return false;
        }
        vforkChild = 0;
        breakpoints.insertInto(p.pid());
        if (!vforkReported) {
            return false;
        }
        vforkReported = false;
        stopAllBut(p);
        queue(new StopEvent(StopReason.VFORK_DONE, p.pid(), parent.tid(), Signals.SIGTRAP, registersOf(parent.tid()), 0, 0,
                null));
        return true;
    }

    /**
     * A held child exec'd: its breakpoints went with its old image; with {@code stop}, it stays
     * there and an EXEC stop with its pid is queued (the client loads its new program).
     */
    boolean forkExeced(TracedProcess child, boolean stop) {
        if (!forks.contains(child.pid())) {
            return false;
        }
        forks.forgetBreakpoints(child.pid());
        if (stop) {
            queue(new StopEvent(StopReason.EXEC, child.pid(), child.pid(), Signals.SIGTRAP, registersOf(child.pid()), 0, 0,
                    null));
        }
        return stop;
    }

    /** The child of an unfinished vfork of the live process (they share memory), or 0. */
    int vforkChild() {
        return vforkChild;
    }

    private static StopEvent forkStop(TracedProcess p, int tid, int child) {
        return new StopEvent(StopReason.FORK, p.pid(), tid, Signals.SIGTRAP, registersOf(tid), 0, 0, null, child);
    }

    BreakpointTable breakpoints() {
        return breakpoints;
    }

    Watchpoint addWatchpoint(long address, int length, Watchpoint.Kind kind) {
        return debugRegisters.add(address, length, kind);
    }

    boolean removeWatchpoint(int id) {
        return debugRegisters.remove(id);
    }

    void setPassSignals(Set<Integer> signals) {
        passSignals = Set.copyOf(signals);
    }

    void queue(StopEvent e) {
        events.add(e);
    }

    Optional<StopEvent> await(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** The tracer's signal hook: decide whether this signal stops the debuggee. */
    int onSignal(TracedThread t, int signal) {
        TracedProcess p = live.get();
        if (p == null || t.process() != p) {
            return signal; // other processes of the tree run free for now
        }
        if (signal == Signals.SIGTRAP && t.strayStepTrap()) {
            t.setStrayStepTrap(false); // raised by an interrupted single-step: ours, not the program's
            return 0;
        }
        if (signal == Signals.SIGTRAP) {
            UserRegs regs = Ptrace.getRegs(t.tid());
            Breakpoint b = breakpoints.at(regs.rip - 1);
            if (b != null) {
                // The int3 has run: rewind to the breakpoint address, as gdb expects to see it.
                regs.rip -= 1;
                Ptrace.setRegs(t.tid(), regs);
                stopAllBut(p);
                Crid crid = b.checkpointOnHit() ? checkpointOnHit.apply(b) : null;
                queue(new StopEvent(StopReason.BREAKPOINT, p.pid(), t.tid(), Signals.SIGTRAP, regs, b.id(), 0, crid));
                return TraceListener.HOLD;
            }
            Optional<Watchpoint> w = debugRegisters.firedIn(t.tid());
            if (w.isPresent()) {
                // Reported after the instruction that touched the data, as x86 traps it. The
                // SIGTRAP is ours, not the program's: it is not held for delivery.
                stopAllBut(p);
                queue(new StopEvent(StopReason.WATCHPOINT, p.pid(), t.tid(), Signals.SIGTRAP, regs, w.get().id(), 0,
                        null));
                return TraceListener.HOLD;
            }
        }
        if (passSignals.contains(signal)) {
            return signal;
        }
        stopAllBut(p);
        heldSignals.put(t.tid(), signal);
        queue(new StopEvent(StopReason.SIGNAL, p.pid(), t.tid(), signal, registersOf(t.tid()), 0, 0, null));
        return TraceListener.HOLD;
    }

    /**
     * The signal hook for a held forked child, which the client runs on its own: its breakpoint
     * hits and the signals not passed through stop it (and it alone) and are queued as its stops.
     */
    int onForkSignal(TracedThread t, int signal) {
        TracedProcess child = t.process();
        if (signal == Signals.SIGTRAP && t.strayStepTrap()) {
            t.setStrayStepTrap(false);
            return 0;
        }
        if (signal == Signals.SIGTRAP) {
            UserRegs regs = Ptrace.getRegs(t.tid());
            if (forks.hasBreakpoint(child.pid(), regs.rip - 1)) {
                regs.rip -= 1;
                Ptrace.setRegs(t.tid(), regs);
                Freezer.freeze(tracer, child, Freezer.DEFAULT_BOUND);
                queue(new StopEvent(StopReason.BREAKPOINT, child.pid(), t.tid(), Signals.SIGTRAP, regs, 0, 0, null));
                return TraceListener.HOLD;
            }
            Optional<Watchpoint> w = forks.watchpointFired(t);
            if (w.isPresent()) {
                Freezer.freeze(tracer, child, Freezer.DEFAULT_BOUND);
                queue(new StopEvent(StopReason.WATCHPOINT, child.pid(), t.tid(), Signals.SIGTRAP, regs, w.get().id(), 0,
                        null));
                return TraceListener.HOLD;
            }
        }
        if (passSignals.contains(signal)) {
            return signal;
        }
        Freezer.freeze(tracer, child, Freezer.DEFAULT_BOUND);
        queue(new StopEvent(StopReason.SIGNAL, child.pid(), t.tid(), signal, registersOf(t.tid()), 0, 0, null));
        return TraceListener.HOLD;
    }

    /** Stops every thread that still runs; a breakpoint hit that raced in is undone, to be hit again later. */
    private void stopAllBut(TracedProcess p) {
        Freezer.Frozen frozen = Freezer.freeze(tracer, p, Freezer.DEFAULT_BOUND);
        for (TracedThread other : frozen.stoppedByUs()) {
            if (other.deferredSignal() == Signals.SIGTRAP) {
                UserRegs r = Ptrace.getRegs(other.tid());
                if (breakpoints.at(r.rip - 1) != null) {
                    r.rip -= 1;
                    Ptrace.setRegs(other.tid(), r);
                    other.setDeferredSignal(0);
                }
            }
        }
    }

    StopEvent pause() {
        TracedProcess p = requireLive();
        stopAllBut(p);
        TracedThread leader = p.leader();
        StopEvent e = new StopEvent(StopReason.PAUSED, p.pid(), leader.tid(), 0, registersOf(leader.tid()), 0, 0, null);
        queue(e);
        return e;
    }

    /**
     * Resumes every stopped thread. {@code signals} names the signal to deliver per thread; a
     * thread not named gets the signal that stopped it when {@code deliverHeld}, else none.
     * {@code stepOff}: a thread on an inserted breakpoint is first stepped over it (else it hits
     * it again at once).
     */
    void resume(Map<Integer, Integer> signals, boolean deliverHeld, boolean stepOff) {
        TracedProcess p = requireLive();
        for (TracedThread t : p.threads()) {
            if (t.stopped() && stepOff) {
                stepOffBreakpoint(t);
            }
        }
        for (TracedThread t : p.threads()) {
            if (t.stopped()) {
                debugRegisters.applyTo(t.tid());
                int sig = signals.getOrDefault(t.tid(), deliverHeld ? heldSignals.getOrDefault(t.tid(), 0) : 0);
                tracer.resume(t, sig);
            }
        }
        heldSignals.clear();
    }

    private void stepOffBreakpoint(TracedThread t) {
        long pc = pc(t.tid());
        if (breakpoints.at(pc) == null) {
            return;
        }
        int pid = t.process().pid();
        breakpoints.lift(pid, pc);
        try {
            Stepper.Result r = Stepper.step(tracer, t, 0);
            if (r.outcome() == Stepper.Outcome.SIGNAL) {
                t.setDeferredSignal(r.signal());
            }
        } finally {
            if (t.process().threads().contains(t) || !t.process().exited()) {
                try {
                    breakpoints.lower(pid, pc);
                } catch (RuntimeException e) {
                    // the process ended during the step
                }
            }
        }
    }

    /**
     * Stops the single-step (or range step) in progress, or the next one, if it is blocked in a
     * system call or still stepping (any thread; it then ends as a PAUSED stop). A step that ends
     * by itself clears the request.
     */
    void interruptStep() {
        stepInterrupt = true;
        tracer.wake();
    }

    /** Single-steps {@code tid}; the other threads stay stopped. */
    StopEvent step(int tid, int signal) {
        try {
            return queued(stepOnce(tid, signal));
        } finally {
            stepInterrupt = false;
        }
    }

    /**
     * gdb's range stepping: single-steps {@code tid} while its pc stays in [start, end), one
     * request for a whole source line. Stops early, as gdbserver does, for anything but a plain
     * step (a signal, a watchpoint, the end), at a breakpoint, or when interrupted (a PAUSED stop).
     */
    StopEvent stepInRange(int tid, long start, long end) {
        try {
            while (true) {
                if (stepInterrupt) {
                    TracedProcess p = steppable(tid).process();
                    return queued(new StopEvent(StopReason.PAUSED, p.pid(), tid, 0, registersOf(tid), 0, 0, null));
                }
                StopEvent e = stepOnce(tid, 0);
                long pc = e.pc();
                if (e.reason() != StopReason.STEP || pc < start || pc >= end || breakpointAt(e.pid(), pc)) {
                    return queued(e);
                }
            }
        } finally {
            stepInterrupt = false;
        }
    }

    private StopEvent queued(StopEvent e) {
        if (!e.ended()) {
            queue(e);
        }
        return e;
    }

    /** One single-step of {@code tid}, its outcome as an event that is not queued yet. */
    private StopEvent stepOnce(int tid, int signal) {
        TracedThread t = steppable(tid);
        TracedProcess p = t.process();
        boolean inLive = p == live.get();
        long pc = pc(tid);
        // A held child's breakpoints are the client's to lift (gdb takes one out to step over it).
        boolean onBreakpoint = inLive && breakpoints.at(pc) != null;
        if (onBreakpoint) {
            breakpoints.lift(p.pid(), pc);
        }
        if (inLive) {
            debugRegisters.applyTo(tid);
        } else {
            forks.applyWatchpoints(t);
        }
        Stepper.Result r;
        try {
            r = Stepper.step(tracer, t, signal, () -> stepInterrupt);
        } finally {
            if (onBreakpoint && !p.exited()) {
                try {
                    breakpoints.lower(p.pid(), pc);
                } catch (RuntimeException e) {
                    // ended during the step
                }
            }
        }
        heldSignals.remove(tid);
        // (An interrupted step has the step's SIGTRAP queued: that one is swallowed at the next resume.)
        boolean stepped = r.outcome() == Stepper.Outcome.STEPPED || r.outcome() == Stepper.Outcome.SIGNAL
                || r.outcome() == Stepper.Outcome.FORKED;
        if (stepped && p.origin() == TracedProcess.Origin.ATTACHED) {
            SyscallInjector.clearSingleStep(t); // it stays stopped; it must survive our death
        }
        if (r.outcome() == Stepper.Outcome.FORKED && stopAtFork && tracer.process(r.forkedChild()) != null) {
            // A step over a fork: the client hears of it as of a fork met while running.
            forks.hold(tracer.process(r.forkedChild()));
            return forkStop(p, tid, r.forkedChild());
        }
        return switch (r.outcome()) {
            case STEPPED, FORKED -> (inLive ? debugRegisters.firedIn(tid) : forks.watchpointFired(t))
                    .map(w -> new StopEvent(StopReason.WATCHPOINT, p.pid(), tid, Signals.SIGTRAP, registersOf(tid), w.id(),
                            0, null))
                    .orElseGet(() -> new StopEvent(StopReason.STEP, p.pid(), tid, Signals.SIGTRAP, registersOf(tid), 0, 0,
                            null));
            case SIGNAL -> {
                heldSignals.put(tid, r.signal());
                yield new StopEvent(StopReason.SIGNAL, p.pid(), tid, r.signal(), registersOf(tid), 0, 0, null);
            }
            case INTERRUPTED -> new StopEvent(StopReason.PAUSED, p.pid(), tid, 0, registersOf(tid), 0, 0, null);
            case EXITED -> ended(p.pid(), tid, r.rawStatus());
        };
    }

    /** A stopped thread of the live process or of a held child. */
    private TracedThread steppable(int tid) {
        TracedProcess p = requireLive();
        TracedThread t = p.thread(tid) != null ? p.thread(tid) : forks.thread(tid).orElse(null);
        if (t == null) {
            throw new IllegalArgumentException("no thread " + tid + " in process " + p.pid() + " or a child it forked");
        }
        if (!t.stopped()) {
            throw new IllegalStateException("thread " + tid + " is running; pause first");
        }
        return t;
    }

    private boolean breakpointAt(int pid, long pc) {
        TracedProcess p = live.get();
        return p != null && pid == p.pid() ? breakpoints.at(pc) != null : forks.hasBreakpoint(pid, pc);
    }

    static StopEvent ended(int pid, int tid, int rawStatus) {
        int low = rawStatus & 0x7f;
        if (low == 0) {
            return new StopEvent(StopReason.EXITED, pid, tid, 0, null, 0, (rawStatus >> 8) & 0xff, null);
        }
        return new StopEvent(StopReason.KILLED, pid, tid, low, null, 0, 0, null);
    }

    /**
     * The live process exec'd: its breakpoints and debug registers went with the old image (the
     * kernel clears ptrace debug registers at exec). With {@code stop}, it stays stopped there
     * and an EXEC stop is queued (a debugger reloads its symbols).
     */
    void programReplaced(TracedProcess p, boolean stop) {
        breakpoints.forgetAll();
        debugRegisters.forgetThreads();
        heldSignals.clear();
        if (stop) {
            queue(new StopEvent(StopReason.EXEC, p.pid(), p.pid(), Signals.SIGTRAP, registersOf(p.pid()), 0, 0, null));
        }
    }

    /** After a restart: a new process, with no held signal, held fork or debug register set. */
    void forgetHeldSignals() {
        heldSignals.clear();
        forks.clear();
        vforkChild = 0;
        debugRegisters.forgetThreads();
    }

    private TracedProcess requireLive() {
        TracedProcess p = live.get();
        if (p == null || p.exited() || tracer.process(p.pid()) != p) {
            throw new DebuggeeExitedException();
        }
        return p;
    }

    private static long pc(int tid) {
        UserRegs r = registersOf(tid);
        return r == null ? 0 : r.rip;
    }

    private static UserRegs registersOf(int tid) {
        try {
            return Ptrace.getRegs(tid);
        } catch (LinuxException e) {
            return null;
        }
    }
}
