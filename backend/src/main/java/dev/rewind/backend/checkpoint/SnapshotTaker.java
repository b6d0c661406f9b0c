package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.CloneArgs;
import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.PipeContents;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import dev.rewind.backend.trace.Freezer;
import dev.rewind.backend.trace.InjectedCall;
import dev.rewind.backend.trace.Reaper;
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
        return takeTree(tracer, List.of(p), patches).get(0);
    }

    /**
     * Checkpoints a whole tree as one consistent cut: every thread of every process is stopped
     * before the first snapshot is forked, and none runs again before the last. The first
     * process is the root; {@code patches} (breakpoints) are taken out of every process's memory
     * before its snapshot, and put back into the root only: a child inherited its parent's
     * int3s at fork, and would die of SIGTRAP on them.
     */
    static List<Taken> takeTree(Tracer tracer, List<TracedProcess> tree, MemoryPatches patches) {
        tracer.checkThread();
        List<ProcFs.ProcessIds> ids = new ArrayList<>();
        List<Map<Integer, String>> fdTargets = new ArrayList<>();
        List<List<MemoryMapping>> shared = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<TracedProcess> filtered = new ArrayList<>();
        for (TracedProcess p : tree) {
            if (!SeccompCheck.mode(p.pid()).equals("0")) {
                filtered.add(p); // its filters can only be read once it is stopped
            }
            ids.add(ProcFs.ids(p.pid()));
            fdTargets.add(ProcFs.fdTargets(p.pid()));
            List<MemoryMapping> mine = new ArrayList<>();
            for (MemoryMapping m : ProcFs.maps(p.pid())) {
                // Each shared object once, from the first process that maps it.
                if (m.shared() && m.perms().charAt(1) == 'w' && seen.add(m.device() + ":" + m.inode() + ":" + m.offset())) {
                    mine.add(m);
                }
            }
            shared.add(mine);
        }
        long start = System.nanoTime();
        List<Freezer.Frozen> frozen = new ArrayList<>();
        List<TracedProcess> snapshots = new ArrayList<>();
        try {
            for (TracedProcess p : tree) {
                frozen.add(Freezer.freeze(tracer, p, Freezer.DEFAULT_BOUND));
            }
            Map<Integer, List<byte[]>> filters = new java.util.HashMap<>();
            for (TracedProcess p : filtered) {
                filters.put(p.pid(), SeccompCheck.check(p, tree.size() > 1));
            }
            int n = tree.size();
            List<Capture> captures = new ArrayList<>();
            List<List<byte[]>> sharedPending = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                TracedProcess p = tree.get(i);
                captures.add(capture(p, frozen.get(i)));
                sharedPending.add(Ptrace.peekSigInfo(p.pid(), true));
                patches.removeFrom(p.pid());
            }
            // Every snapshot forks at once: the kernel copies the page tables of several processes
            // on several CPUs, and the longest part of the freeze is spent once, not per process.
            // Meanwhile, read what needs no ptrace request on the forking threads.
            List<SnapshotFork> forks = new ArrayList<>();
            List<SavedProcess> states = new ArrayList<>();
            RuntimeException failure = null;
            try {
                for (int i = 0; i < n; i++) {
                    TracedProcess p = tree.get(i);
                    forks.add(SnapshotFork.start(p, i == 0 && p.origin() != TracedProcess.Origin.ATTACHED));
                }
                java.util.Set<String> seenPipes = new java.util.HashSet<>();
                for (int i = 0; i < n; i++) {
                    TracedProcess p = tree.get(i);
                    List<SharedRegion> regions = new ArrayList<>();
                    for (MemoryMapping m : shared.get(i)) {
                        regions.add(new SharedRegion(p.pid(), m.start(), m.path(), m.inode(),
                                ProcessMemory.read(p.pid(), m.start(), (int) m.size())));
                    }
                    List<FdInfo> fds = ProcFs.fds(p.pid(), fdTargets.get(i));
                    List<PipeContent> pipes = new ArrayList<>();
                    for (FdInfo fd : fds) {
                        // Each pipe once, through the first reader in the tree; a pipe read only outside the
                        // tree (our stdout pipe) belongs to its reader.
                        if (fd.isPipe() && fd.readable() && seenPipes.add(fd.target())) {
                            pipes.add(new PipeContent(p.pid(), fd.fd(), fd.target(), PipeContents.peek(p.pid(), fd.fd())));
                        }
                    }
                    SavedSecurity security = SavedSecurity.read(p.pid(), filters.getOrDefault(p.pid(), List.of()));
                    states.add(new SavedProcess(p.pid(), ids.get(i), ProcFs.exe(p.pid()), captures.get(i).threads(),
                            sharedPending.get(i), captures.get(i).itimers(), fds, regions, pipes, security,
                            p.leader().jobControlStop(), Zombies.of(p.pid())));
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            // Every fork that started is finished, also after a failure: that puts its thread's registers back.
            for (SnapshotFork fork : forks) {
                try {
                    snapshots.add(fork.finish(tracer));
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            patches.insertInto(tree.get(0).pid());
            if (failure != null) {
                throw failure;
            }
            frozen.forEach(f -> Freezer.thaw(tracer, f));
            long downtime = System.nanoTime() - start;
            List<Taken> out = new ArrayList<>();
            java.util.Set<Integer> treePids = new java.util.HashSet<>();
            tree.forEach(p -> treePids.add(p.pid()));
            for (int i = 0; i < tree.size(); i++) {
                // The snapshot, not the debuggee, leaves the process group: no need to keep the tree frozen.
                ProcessGroups.detachSnapshot(snapshots.get(i), ids.get(i), treePids);
                out.add(new Taken(snapshots.get(i), states.get(i), downtime,
                        Warnings.of(tree.get(i).pid(), states.get(i).fds(), tree.get(i).origin())));
            }
            return out;
        } catch (RuntimeException e) {
            frozen.forEach(f -> Freezer.thaw(tracer, f));
            snapshots.forEach(x -> Reaper.killAndReap(tracer, x));
            throw e;
        }
    }

    private record Capture(List<SavedThread> threads, List<byte[]> itimers) {
    }

    private static Capture capture(TracedProcess p, Freezer.Frozen frozen) {
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
        try (RemoteScratch scratch = RemoteScratch.below(leader)) {
            for (TracedThread t : live) {
                threads.add(ThreadCapture.capture(t, scratch));
            }
            for (int which = 0; which < 3; which++) {
                long buf = scratch.reserve(ITIMERVAL_SIZE);
                SyscallInjector.call(leader, "getitimer", Syscall.GETITIMER, which, buf);
                itimers.add(scratch.read(buf, ITIMERVAL_SIZE));
            }
        }
        return new Capture(threads, itimers);
    }

    /**
     * The fork of a snapshot, by an injected clone. A launched debuggee's snapshot is made with
     * CLONE_PARENT, so it is the backend's child and the debuggee never sees it: no SIGCHLD, and
     * its waitpid(-1) cannot reap it. Any other process (attached, or a child in the tree) has a
     * parent of its own that must not see the snapshot either; its snapshot is its own child
     * with exit signal 0, which plain waitpid ignores (only __WALL waiters see it).
     */
    private record SnapshotFork(SyscallInjector.Pending call) {
        static SnapshotFork start(TracedProcess p, boolean backendIsParent) {
            long flags = backendIsParent ? CloneArgs.CLONE_PARENT : 0;
            return new SnapshotFork(SyscallInjector.start(p.thread(p.pid()), Syscall.CLONE, flags, 0, 0, 0, 0));
        }

        /** Waits for the fork and for the snapshot's first stop; returns the snapshot. */
        TracedProcess finish(Tracer tracer) {
            InjectedCall c = call.finish();
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
            // It inherited its parent's ptrace options, and an attached process has no EXITKILL
            // (it must outlive us). A snapshot must not: detached by our death it would run on
            // from the injected clone, as a second copy of the program.
            Ptrace.setOptions(child, Tracer.TREE_OPTIONS | Ptrace.O_EXITKILL);
            return tracer.track(child, TracedProcess.Origin.SNAPSHOT, List.of(child));
        }
    }
}
