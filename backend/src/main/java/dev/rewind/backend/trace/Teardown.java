package dev.rewind.backend.trace;

import dev.rewind.backend.linux.CloneArgs;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Kills a traced process so that its pid is free at once, and leaves the teardown of its memory
 * for later.
 *
 * <p>The kernel frees a killed process's address space in the dying task itself, before it
 * becomes a zombie that can be reaped, and until it is reaped its pid cannot be used again. With
 * a large heap that is the slowest part of a restart (here about 40 ms per GiB of pages still
 * shared with a snapshot, 90 ms per GiB once the process has rewritten them). So a stand-in is
 * made first: an injected clone with CLONE_VM and CLONE_FILES, which shares the address space
 * and the descriptor table, stays ptrace-stopped at birth and never runs. The process then dies
 * dropping only its references, and is reaped at once. {@link #release} kills the stand-in once
 * the restored process exists; its exit does the teardown, off the restart's path, and the
 * tracer's event loop reaps it. A process the backend is the parent of gets its stand-in ahead,
 * at its first checkpoint (a clone in that checkpoint's batch), so a restart pays neither the
 * teardown nor the stand-in; it is let go when the process ends or execs. Runs on the tracer
 * thread. Stateless.
 */
public final class Teardown {
    private static final Logger LOG = Logger.getLogger(Teardown.class.getName());
    /** A running process must stop before a stand-in can be injected; one that does not is killed the slow way. */
    private static final Duration STOP_BOUND = Duration.ofMillis(200);
    /**
     * Below this much resident memory the teardown (about 0.5 ms per 16 MiB here) costs less
     * than making a stand-in (an injected clone and setsid, about 1.5 ms).
     */
    private static final long STAND_IN_FROM_KIB = 64 * 1024;

    private Teardown() {
    }

    /**
     * Kills and reaps {@code p}; returns the stand-in that holds its memory, or null when there
     * is none (then the kill paid for the teardown). {@code parentIsBackend}: the backend is the
     * parent of {@code p}, so the stand-in is made its sibling (CLONE_PARENT) and the backend
     * reaps it; otherwise it is a child of {@code p}, and the caller must be sure that orphans of
     * {@code p} come to the backend (its child subreaper), never to a parent outside the tree.
     */
    public static TracedProcess killLeavingMemory(Tracer tracer, TracedProcess p, boolean parentIsBackend) {
        tracer.checkThread();
        // One made ahead at the process's first checkpoint (see STAND_IN_CLONE) costs nothing now.
        TracedProcess standIn = p.standIn();
        p.setStandIn(null); // the caller's to release once the restored process exists
        try {
            if (standIn == null && residentKib(p) >= STAND_IN_FROM_KIB) {
                standIn = makeStandIn(tracer, p, parentIsBackend);
            }
        } catch (RuntimeException e) {
            // A thread in uninterruptible sleep, a process already exiting...: no stand-in.
            LOG.log(Level.FINE, "no stand-in for " + p, e);
        }
        Reaper.killAndReap(tracer, p);
        return standIn;
    }

    /** Kills a stand-in; the event loop reaps it when its teardown is over. */
    public static void release(TracedProcess standIn) {
        try {
            Signals.kill(standIn.pid(), Signals.SIGKILL);
        } catch (LinuxException e) {
            LOG.log(Level.FINE, "stand-in " + standIn.pid(), e);
        }
    }

    private static long residentKib(TracedProcess p) {
        return ProcFs.residentKib(p.pid());
    }

    private static TracedProcess makeStandIn(Tracer tracer, TracedProcess p, boolean parentIsBackend) {
        Freezer.freeze(tracer, p, STOP_BOUND);
        TracedThread leader = p.leader();
        InjectedCall c = SyscallInjector.inject(leader, Syscall.CLONE, STAND_IN_CLONE | (parentIsBackend ? CloneArgs.CLONE_PARENT : 0),
                0, 0, 0, 0);
        if (c.failed()) {
            throw new LinuxException("clone of a stand-in", c.errno());
        }
        return adopt(tracer, c.newChild() != 0 ? c.newChild() : (int) c.result());
    }

    /**
     * The clone flags of a stand-in: it shares the address space and the descriptor table. Exit
     * signal 0: nobody is told when it ends. No stack of its own: it never runs. A checkpoint
     * makes one ahead for a process the backend is the parent of (with CLONE_PARENT and
     * CLONE_PTRACE, in its batch), so that the restart that kills the process later need not.
     */
    public static final long STAND_IN_CLONE = CloneArgs.CLONE_VM | CloneArgs.CLONE_FILES;

    /**
     * Takes charge of a stand-in just cloned (traced from birth): waits for its stop at birth,
     * tracks it, and moves it to a session of its own. Null if it died meanwhile.
     */
    public static TracedProcess adopt(Tracer tracer, int child) {
        tracer.checkThread();
        while (true) {
            WaitStatus ws = Wait.waitFor(child);
            if (ws.gone()) {
                return null;
            }
            if (ws.event() == Ptrace.EVENT_STOP) {
                break; // stopped at birth, before its first instruction
            }
            tracer.dispatchLater(ws);
        }
        Ptrace.setOptions(child, Tracer.TREE_OPTIONS | Ptrace.O_EXITKILL); // never outlives us, never runs
        TracedProcess standIn = tracer.track(child, TracedProcess.Origin.STAND_IN, List.of(child));
        // The kernel frees a pid number only when no task uses it as pid, group or session id. The
        // stand-in was born in the process's group and session, which are often the tree's own
        // pids; a new session of its own frees them for the restart. (It is no group leader, so
        // setsid cannot fail.) An injected call is no user instruction.
        try {
            SyscallInjector.call(standIn.leader(), "setsid in a stand-in", Syscall.SETSID);
        } catch (RuntimeException e) {
            Reaper.killAndReap(tracer, standIn); // it would hold the group's pid against the restart
            throw e;
        }
        return standIn;
    }
}
