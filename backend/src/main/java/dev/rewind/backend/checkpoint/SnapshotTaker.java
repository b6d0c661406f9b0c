package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.CloneArgs;
import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import dev.rewind.backend.trace.Freezer;
import dev.rewind.backend.trace.InjectedCall;
import dev.rewind.backend.trace.RemoteScratch;
import dev.rewind.backend.trace.SyscallInjector;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import dev.rewind.backend.trace.Tracer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Takes one checkpoint of a process: freeze, capture what a fork does not keep, fork a
 * copy-on-write snapshot that stays ptrace-stopped forever, thaw. Runs on the tracer thread.
 * Stateless.
 */
final class SnapshotTaker {
    /** The result, before it is named and put on the timeline. */
    record Taken(TracedProcess snapshot, SavedProcess state, long downtimeNanos, List<String> warnings) {
    }

    private static final int ITIMERVAL_SIZE = 32;

    private SnapshotTaker() {
    }

    static Taken take(Tracer tracer, TracedProcess p, MemoryPatches patches) {
        tracer.checkThread();
        checkSeccomp(p.pid());
        ProcFs.ProcessIds ids = ProcFs.ids(p.pid());
        Map<Integer, String> fdTargets = ProcFs.fdTargets(p.pid());
        long start = System.nanoTime();
        Freezer.Frozen frozen = Freezer.freeze(tracer, p, Freezer.DEFAULT_BOUND);
        try {
            List<TracedThread> live = new ArrayList<>();
            for (TracedThread t : p.threads()) {
                if (!frozen.exiting().contains(t.tid())) {
                    live.add(t);
                }
            }
            if (live.isEmpty() || p.thread(p.pid()) == null || frozen.exiting().contains(p.pid())) {
                throw new IllegalStateException(p + " is exiting; nothing to checkpoint");
            }
            TracedThread leader = p.thread(p.pid());
            List<SavedThread> threads = new ArrayList<>();
            List<byte[]> itimers = new ArrayList<>();
            TracedProcess snapshot;
            try (RemoteScratch scratch = RemoteScratch.below(leader)) {
                for (TracedThread t : live) {
                    threads.add(ThreadCapture.capture(t, scratch));
                }
                for (int which = 0; which < 3; which++) {
                    long buf = scratch.reserve(ITIMERVAL_SIZE);
                    SyscallInjector.call(leader, "getitimer", Syscall.GETITIMER, which, buf);
                    itimers.add(scratch.read(buf, ITIMERVAL_SIZE));
                }
                scratch.close();
                patches.removeFrom(p.pid());
                try {
                    snapshot = forkSnapshot(tracer, p, leader);
                } finally {
                    patches.insertInto(p.pid());
                }
            }
            List<byte[]> shared = Ptrace.peekSigInfo(leader.tid(), true);
            List<FdInfo> fds = ProcFs.fds(p.pid(), fdTargets);
            Freezer.thaw(tracer, frozen);
            long downtime = System.nanoTime() - start;
            // The snapshot, not the debuggee, leaves the process group: no need to keep the tree frozen.
            ProcessGroups.detachSnapshot(snapshot, ids, p.pid());
            SavedProcess state = new SavedProcess(p.pid(), ids, ProcFs.exe(p.pid()), threads, shared, itimers, fds);
            return new Taken(snapshot, state, downtime, Warnings.of(p.pid(), fds, p.origin()));
        } catch (RuntimeException e) {
            Freezer.thaw(tracer, frozen);
            throw e;
        }
    }

    /**
     * Forks the snapshot with an injected clone. A launched debuggee's snapshot is made with
     * CLONE_PARENT, so it is the backend's child and the debuggee never sees it: no SIGCHLD, and
     * its waitpid(-1) cannot reap it. A process we attached to has a parent of its own; its
     * snapshot is its child with exit signal 0, which plain waitpid ignores (only __WALL waiters
     * see it).
     */
    private static TracedProcess forkSnapshot(Tracer tracer, TracedProcess p, TracedThread leader) {
        long flags = p.origin() == TracedProcess.Origin.ATTACHED ? 0 : CloneArgs.CLONE_PARENT;
        InjectedCall c = SyscallInjector.inject(leader, Syscall.CLONE, flags, 0, 0, 0, 0);
        if (c.failed()) {
            if (c.errno() == LinuxException.EAGAIN || c.errno() == LinuxException.ENOMEM) {
                throw new LinuxException("fork of the snapshot", c.errno(),
                        "the system or the debuggee's cgroup (pids.max / memory.max) refused another process");
            }
            throw new LinuxException("fork of the snapshot", c.errno());
        }
        int child = c.newChild() != 0 ? c.newChild() : (int) c.result();
        while (true) {
            WaitStatus ws = Wait.waitFor(child);
            if (ws.gone()) {
                throw new IllegalStateException("the snapshot process died at birth: " + ws);
            }
            if (ws.event() == Ptrace.EVENT_STOP) {
                break; // the auto-attach stop: it has run nothing
            }
            tracer.dispatchLater(ws);
        }
        return tracer.track(child, TracedProcess.Origin.SNAPSHOT, List.of(child));
    }

    private static void checkSeccomp(int pid) {
        Map<String, String> status = ProcFs.status(pid);
        String mode = status.getOrDefault("Seccomp", "0");
        if (!mode.equals("0")) {
            throw new UnsupportedOperationException("process " + pid + " runs under seccomp (mode " + mode
                    + "); the injected calls a checkpoint needs could be refused or kill it, so it is not checkpointed");
        }
    }
}
