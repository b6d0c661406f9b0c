package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops every thread of a process, with a bound, and later resumes exactly those it stopped.
 *
 * <p>PTRACE_INTERRUPT cannot stop a task in uninterruptible sleep, nor a vfork parent waiting for
 * its child to exec; waiting for those would hang the backend, so the wait has a deadline and
 * the error names the thread and its state. Runs on the tracer thread. Stateless.
 */
public final class Freezer {
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(2);

    /**
     * The threads a freeze stopped (others were stopped already) and those found exiting.
     * {@code firstStopNanos}: when the first of them was seen stopped ({@link System#nanoTime}),
     * or when the freeze began if every thread was stopped already: the start of the process's
     * downtime. The time before it is the kernel's to deliver the interrupt, which to a thread
     * asleep on an idle CPU of this VM takes up to 0.3 ms (the host wakes the virtual CPU): the
     * program does not run then either way.
     */
    public record Frozen(TracedProcess process, List<TracedThread> stoppedByUs, Set<Integer> exiting,
            long firstStopNanos) {
    }

    private Freezer() {
    }

    public static Frozen freeze(Tracer tracer, TracedProcess p, Duration bound) {
        tracer.checkThread();
        long begun = System.nanoTime();
        List<TracedThread> pending = new ArrayList<>();
        for (TracedThread t : p.threads()) {
            // A thread in a job-control stop (SIGSTOP, SIGTTIN...) sits in PTRACE_LISTEN, where it
            // takes no ptrace request: it is interrupted into a ptrace-stop too, and put back into
            // LISTEN at the thaw, so its job-control stop goes on.
            if (!t.stopped() || t.jobControlStop() != 0) {
                Ptrace.interrupt(t.tid());
                pending.add(t);
            }
        }
        List<TracedThread> stopped = new ArrayList<>();
        Set<Integer> exiting = new LinkedHashSet<>();
        // Threads we single-step out of a syscall they were stopped inside (see below).
        Set<Integer> finishing = new java.util.HashSet<>();
        long deadline = System.nanoTime() + bound.toNanos();
        long spinFrom = System.nanoTime();
        long firstStop = pending.isEmpty() ? begun : Long.MIN_VALUE;
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (TracedThread t : new ArrayList<>(pending)) {
                WaitStatus ws;
                try {
                    ws = Wait.poll(t.tid());
                } catch (LinuxException e) {
                    pending.remove(t); // ECHILD: gone and reaped (an exec in another thread kills the rest)
                    exiting.add(t.tid());
                    continue;
                }
                if (ws == null) {
                    continue;
                }
                progress = true;
                pending.remove(t);
                if (ws.gone()) {
                    tracer.dispatchLater(ws);
                    exiting.add(t.tid());
                    continue;
                }
                if (firstStop == Long.MIN_VALUE) {
                    firstStop = System.nanoTime();
                }
                t.setStopped(true);
                if (!stopped.contains(t)) {
                    stopped.add(t);
                }
                switch (ws.event()) {
                    case Ptrace.EVENT_CLONE, Ptrace.EVENT_FORK, Ptrace.EVENT_VFORK, Ptrace.EVENT_EXEC -> {
                        if (ws.event() == Ptrace.EVENT_EXEC) {
                            t = tracer.noteExec(p, false);
                            t.setStopped(true);
                            stopped.removeIf(x -> x.tid() == p.pid());
                            stopped.add(t);
                        } else {
                            int child = (int) Ptrace.eventMessage(t.tid());
                            TracedThread c = newTracee(tracer, p, child);
                            if (c != null && !c.stopped()) {
                                pending.add(c); // its attach stop is on the way
                            }
                        }
                        // An event stop is inside the syscall, before the kernel writes its return
                        // value into rax, which would overwrite any call we inject. One step finishes
                        // the syscall and stops on its return, before the next instruction. (A vfork
                        // parent then waits for its child's exec: the bound reports that.)
                        Ptrace.singleStep(t.tid(), 0);
                        t.setStopped(false);
                        finishing.add(t.tid());
                        pending.add(t);
                    }
                    case Ptrace.EVENT_EXIT -> exiting.add(t.tid());
                    case Ptrace.EVENT_STOP -> t.setFresh(false);
                    case 0 -> {
                        if (!(ws.stopSignal() == Signals.SIGTRAP && finishing.remove(t.tid()))) {
                            t.setDeferredSignal(ws.stopSignal());
                        }
                    }
                    default -> {
                        // vfork-done: stopped, which is all we need
                    }
                }
            }
            if (!progress && System.nanoTime() > deadline) {
                thaw(tracer, new Frozen(p, stopped, exiting, firstStop));
                TracedThread stuck = pending.get(0);
                throw new FreezeTimeoutException(stuck.tid(), p.pid(), bound, describeState(p.pid(), stuck.tid()));
            }
            if (!progress) {
                // A stop usually comes within tens of microseconds; sleeping costs at least the
                // kernel's 50 µs timer slack, so spin first.
                if (System.nanoTime() - spinFrom < 200_000) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(20_000);
                }
            } else {
                spinFrom = System.nanoTime();
            }
        }
        return new Frozen(p, stopped, exiting, firstStop == Long.MIN_VALUE ? begun : firstStop);
    }

    private static TracedThread newTracee(Tracer tracer, TracedProcess p, int tid) {
        if (p.thread(tid) != null) {
            return p.thread(tid);
        }
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc", Integer.toString(p.pid()), "task",
                Integer.toString(tid)))) {
            TracedThread t = tracer.trackThread(p, tid);
            t.setStopped(false);
            return t;
        }
        return null; // a new process: the event loop adopts it when its first stop arrives
    }

    /**
     * Resumes the threads {@code frozen} stopped, delivering any signal they had dequeued. In a
     * process we attached to, the threads that stay stopped lose the single-step flag our
     * injected calls left (see {@link SyscallInjector#clearSingleStep}).
     */
    public static void thaw(Tracer tracer, Frozen frozen) {
        tracer.checkThread();
        for (TracedThread t : frozen.stoppedByUs()) {
            try {
                if (t.jobControlStop() != 0) {
                    Ptrace.listen(t.tid()); // back into its job-control stop
                } else {
                    tracer.resume(t, 0);
                }
            } catch (LinuxException e) {
                // ended meanwhile
            }
        }
        if (frozen.process().origin() == TracedProcess.Origin.ATTACHED) {
            for (TracedThread t : frozen.process().threads()) {
                if (t.stopped() && !frozen.stoppedByUs().contains(t)) {
                    try {
                        SyscallInjector.clearSingleStep(t);
                    } catch (LinuxException e) {
                        // ended meanwhile
                    }
                }
            }
        }
    }

    private static String describeState(int pid, int tid) {
        try {
            Map<String, String> s = ProcFs.status(tid);
            String state = s.getOrDefault("State", "?");
            return "state " + state + (state.startsWith("D") ? " (uninterruptible sleep, or a vfork parent waiting for exec)" : "");
        } catch (LinuxException e) {
            return "state unknown";
        }
    }
}
