package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.CloneArgs;
import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.PipeContents;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import dev.rewind.backend.trace.CallStub;
import dev.rewind.backend.trace.Freezer;
import dev.rewind.backend.trace.Reaper;
import dev.rewind.backend.trace.RemoteScratch;
import dev.rewind.backend.trace.SyscallBatch;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import dev.rewind.backend.trace.Teardown;
import dev.rewind.backend.trace.Tracer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Takes one checkpoint of a process or a tree: freeze, capture what a fork does not keep, fork a
 * copy-on-write snapshot of every process that stays ptrace-stopped forever, thaw. Runs on the
 * tracer thread. Stateless.
 *
 * <p>The freeze is the debuggee's downtime, so it holds only what must be read at the cut:
 * registers and signals by ptrace; per thread, one {@link SyscallBatch} run through the
 * process's call stub (its tid address and sigaltstack; in the leader also the three itimers
 * and, last, the clone of the snapshot); and, while the leaders fork, the file offsets, pipe
 * contents, shared memory and zombies from /proc. What the snapshot inherits unchanged
 * (credentials, personality, filters, executable) is read from it after the thaw.
 */
final class SnapshotTaker {
    /**
     * The result, before it is named and put on the timeline. {@code downtimeNanos}: from the
     * first thread's stop to the thaw (the request's latency before the stop is not the program's).
     */
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
        int n = tree.size();
        List<ProcFs.ProcessIds> ids = new ArrayList<>();
        List<Map<Integer, String>> fdTargets = new ArrayList<>();
        List<List<MemoryMapping>> shared = new ArrayList<>();
        List<List<MemoryMapping>> mapsBefore = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<TracedProcess> filtered = new ArrayList<>();
        for (TracedProcess p : tree) {
            if (!SeccompCheck.mode(p.pid()).equals("0")) {
                filtered.add(p); // its filters can only be read once it is stopped
            }
            ids.add(ProcessGroups.idsOf(p));
            // The pids the program sees, read here rather than inside the freeze or on the /proc reader thread.
            p.threads().forEach(TracedThread::nsTid);
            fdTargets.add(ProcFs.fdTargets(p.pid()));
            List<MemoryMapping> mine = new ArrayList<>();
            mapsBefore.add(ProcFs.maps(p.pid()));
            for (MemoryMapping m : mapsBefore.get(mapsBefore.size() - 1)) {
                // Each shared object once, from the first process that maps it.
                if (m.shared() && m.perms().charAt(1) == 'w' && seen.add(m.device() + ":" + m.inode() + ":" + m.offset())) {
                    mine.add(m);
                }
            }
            shared.add(mine);
        }
        long start = System.nanoTime();
        List<Freezer.Frozen> frozen = new ArrayList<>();
        List<ProcessCapture> captures = new ArrayList<>();
        List<TracedProcess> snapshots = new ArrayList<>();
        try {
            for (TracedProcess p : tree) {
                frozen.add(Freezer.freeze(tracer, p, Freezer.DEFAULT_BOUND));
            }
            List<TracedProcess> ended = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                TracedProcess p = tree.get(i);
                if (p.thread(p.pid()) == null || frozen.get(i).exiting().contains(p.pid())) {
                    ended.add(p);
                }
            }
            if (!ended.isEmpty()) {
                // Children that exited after the tree was listed (their end is not dispatched yet):
                // zombies of their parents now, which their parents' checkpoints record. Again
                // without them.
                frozen.forEach(f -> Freezer.thaw(tracer, f));
                frozen.clear();
                List<TracedProcess> rest = new ArrayList<>(tree);
                rest.removeAll(ended);
                return takeTree(tracer, rest, patches);
            }
            Map<Integer, List<byte[]>> filters = new HashMap<>();
            for (TracedProcess p : filtered) {
                filters.put(p.pid(), SeccompCheck.check(p, n > 1));
            }
            // The /proc reads need no ptrace request: another thread makes them while the tracer
            // captures the threads and the leaders fork.
            CompletableFuture<List<Partial>> procReads = CompletableFuture.supplyAsync(() -> readProc(tree, fdTargets, shared),
                    PROC_READER);
            for (int i = 0; i < n; i++) {
                TracedProcess p = tree.get(i);
                captures.add(ProcessCapture.begin(p, frozen.get(i), i == 0 && p.origin() != TracedProcess.Origin.ATTACHED,
                        !filtered.contains(p)));
                patches.removeFrom(p.pid());
            }
            // Every process runs its batches at once, the snapshots' forks included: the kernel
            // copies the page tables of several processes on several CPUs.
            List<Partial> partials = new ArrayList<>();
            RuntimeException failure = null;
            try {
                for (ProcessCapture c : captures) {
                    c.start();
                }
                partials.addAll(join(procReads));
            } catch (RuntimeException e) {
                failure = e;
            }
            // Every batch that started is finished, also after a failure: that puts its thread's registers back.
            for (ProcessCapture c : captures) {
                try {
                    c.finish();
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            patches.insertInto(tree.get(0).pid());
            if (failure != null) {
                captures.forEach(ProcessCapture::killSnapshot);
                throw failure;
            }
            // The downtime runs from the first thread's stop, not from the request (see
            // Freezer.Frozen). Plain loops from the freeze to the thaw: a stream or a lambda run for
            // the first time costs a cold backend up to a millisecond of linking, all of it downtime.
            long stoppedAt = Long.MAX_VALUE;
            for (Freezer.Frozen f : frozen) {
                stoppedAt = Math.min(stoppedAt, f.firstStopNanos());
            }
            for (Freezer.Frozen f : frozen) {
                Freezer.thaw(tracer, f);
            }
            frozen.clear();
            long downtime = System.nanoTime() - stoppedAt;
            // The snapshots reach their first stop on their own, without the debuggee: the tree
            // runs again meanwhile.
            for (int i = 0; i < n; i++) {
                try {
                    snapshots.add(captures.get(i).adoptSnapshot(tracer));
                } catch (RuntimeException e) {
                    captures.subList(i + 1, n).forEach(ProcessCapture::killSnapshot);
                    captures.subList(0, i + 1).forEach(ProcessCapture::killStandIn);
                    throw e;
                }
            }
            captures.forEach(c -> c.adoptStandIn(tracer));
            Set<Integer> treePids = new HashSet<>();
            tree.forEach(p -> treePids.add(p.nsPid())); // the ids saved are as the tree sees them
            List<Taken> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                TracedProcess p = tree.get(i);
                int snapshot = snapshots.get(i).pid();
                // The snapshot, not the debuggee, leaves the process group: no need to keep the tree frozen.
                ProcessGroups.detachSnapshot(snapshots.get(i), ids.get(i), treePids);
                ProcessCapture c = captures.get(i);
                Partial part = partials.get(i);
                // A fork keeps credentials, personality, no_new_privs, filters and the executable:
                // read them from the snapshot, outside the freeze.
                SavedSecurity security = SavedSecurity.read(snapshot, filters.getOrDefault(p.pid(), List.of()));
                SavedProcess state = new SavedProcess(p.nsPid(), ids.get(i), ProcFs.exe(snapshot), c.threads(),
                        c.sharedPending(), c.itimers(), part.fds(), part.regions(), part.pipes(), security,
                        p.leader().jobControlStop(), part.zombies());
                List<String> warnings = Warnings.of(p.pid(), snapshot, mapsBefore.get(i), state.fds(), p.origin());
                out.add(new Taken(snapshots.get(i), state, downtime, warnings));
            }
            return out;
        } catch (RuntimeException e) {
            frozen.forEach(f -> Freezer.thaw(tracer, f));
            snapshots.forEach(x -> Reaper.killAndReap(tracer, x));
            throw e;
        }
    }

    /** What a checkpoint reads from /proc at the cut, for one process. */
    private record Partial(List<FdInfo> fds, List<SharedRegion> regions, List<PipeContent> pipes,
            List<Zombies.SavedZombie> zombies) {
    }

    /**
     * One daemon thread for the /proc reads of checkpoints; idle between them. Started with the
     * class, before the first freeze: starting it inside one would add its start to the downtime.
     */
    private static final Executor PROC_READER = procReader();

    private static Executor procReader() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "rewind-proc-reader");
            t.setDaemon(true);
            return t;
        });
        pool.prestartCoreThread();
        return pool;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static List<Partial> readProc(List<TracedProcess> tree, List<Map<Integer, String>> fdTargets,
            List<List<MemoryMapping>> shared) {
        List<Partial> out = new ArrayList<>();
        Set<String> seenPipes = new HashSet<>();
        for (int i = 0; i < tree.size(); i++) {
            TracedProcess p = tree.get(i);
            int pid = p.pid();
            List<SharedRegion> regions = new ArrayList<>();
            for (MemoryMapping m : shared.get(i)) {
                regions.add(new SharedRegion(p.nsPid(), m.start(), m.path(), m.inode(), ProcessMemory.read(pid, m.start(), (int) m.size())));
            }
            List<FdInfo> fds = ProcFs.fds(pid, fdTargets.get(i));
            List<PipeContent> pipes = new ArrayList<>();
            for (FdInfo fd : fds) {
                // Each pipe once, through the first reader in the tree; a pipe read only outside the
                // tree (our stdout pipe) belongs to its reader.
                if (fd.isPipe() && fd.readable() && seenPipes.add(fd.target())) {
                    pipes.add(new PipeContent(p.nsPid(), fd.fd(), fd.target(), PipeContents.peek(pid, fd.fd())));
                }
            }
            out.add(new Partial(fds, regions, pipes, Zombies.toSave(p)));
        }
        return out;
    }

    /**
     * One process's part of the checkpoint: a batch per live thread (leader last), the leader's
     * with the itimers and the snapshot's clone.
     *
     * <p>The clone of the snapshot: a launched debuggee's snapshot is made with CLONE_PARENT, so
     * it is the backend's child and the debuggee never sees it: no SIGCHLD, and its waitpid(-1)
     * cannot reap it. Any other process (attached, or a child in the tree) has a parent of its
     * own that must not see the snapshot either; its snapshot is its own child with exit signal
     * 0, which plain waitpid ignores (only __WALL waiters see it). The clone is made with
     * CLONE_PTRACE and the leader's fork/clone event options off for the call: the child is
     * traced from birth all the same (it starts in a ptrace-stop, before its first instruction),
     * but the debuggee does not stop again inside the call for a clone event, which would cost
     * the freeze one more round trip to the tracer.
     */
    private static final class ProcessCapture {
        private final TracedProcess process;
        private final List<RemoteScratch> scratches = new ArrayList<>();
        private final List<SyscallBatch> batches = new ArrayList<>();
        private final List<ThreadCapture.Capturing> capturing = new ArrayList<>();
        private final List<SyscallBatch.Running> running = new ArrayList<>();
        private List<byte[]> sharedPending;
        private final int[] itimerCalls = new int[3];
        private final long[] itimerBuffers = new long[3];
        private final int cloneCall;
        private final List<SavedThread> threads = new ArrayList<>();
        private final List<byte[]> itimers = new ArrayList<>();
        private int snapshotPid;
        /** The call that makes the process's stand-in ahead (see Teardown), or -1; and the stand-in's pid. */
        private int standInCall = -1;
        private int standInPid;
        /** The process's parent is the backend or our namespace init, which take the snapshot as child (CLONE_PARENT). */
        private final boolean parentIsOurs;

        private ProcessCapture(TracedProcess process, Freezer.Frozen frozen, boolean parentIsOurs, boolean unfiltered) {
            this.process = process;
            this.parentIsOurs = parentIsOurs;
            TracedThread leader = process.thread(process.pid());
            if (leader == null || frozen.exiting().contains(process.pid())) {
                throw new IllegalStateException(process + " is exiting; nothing to checkpoint");
            }
            List<TracedThread> live = new ArrayList<>();
            for (TracedThread t : process.threads()) {
                if (!frozen.exiting().contains(t.tid()) && t != leader) {
                    live.add(t);
                }
            }
            live.add(leader); // last: its batch forks the snapshot, once the others have their tables written
            try {
                for (TracedThread t : live) {
                    RemoteScratch scratch = RemoteScratch.below(t);
                    scratches.add(scratch);
                    SyscallBatch batch = new SyscallBatch(t, scratch);
                    batches.add(batch);
                    capturing.add(ThreadCapture.begin(t, batch));
                }
                RemoteScratch scratch = scratches.get(scratches.size() - 1);
                SyscallBatch batch = batches.get(batches.size() - 1);
                for (int which = 0; which < 3; which++) {
                    itimerBuffers[which] = scratch.reserve(ITIMERVAL_SIZE);
                    itimerCalls[which] = batch.add(Syscall.GETITIMER, which, itimerBuffers[which]);
                }
                long flags = CloneArgs.CLONE_PTRACE | (parentIsOurs ? CloneArgs.CLONE_PARENT : 0);
                cloneCall = batch.add(Syscall.CLONE, flags, 0, 0, 0, 0);
                // The backend's own child gets its stand-in now, once: a clone that shares its memory
                // copies no page table, and spares a later restart the teardown. Not under seccomp
                // filters: the stand-in is optional, and SeccompCheck vets only what must be injected.
                if (parentIsOurs && unfiltered && !process.namespaced() && process.standIn() == null) {
                    standInCall = batch.add(Syscall.CLONE, Teardown.STAND_IN_CLONE | CloneArgs.CLONE_PTRACE
                            | CloneArgs.CLONE_PARENT, 0, 0, 0, 0);
                }
            } catch (RuntimeException e) {
                scratches.forEach(RemoteScratch::close);
                throw e;
            }
        }

        static ProcessCapture begin(TracedProcess p, Freezer.Frozen frozen, boolean parentIsOurs, boolean unfiltered) {
            return new ProcessCapture(p, frozen, parentIsOurs, unfiltered);
        }

        void start() {
            int leader = process.pid();
            for (SyscallBatch b : batches) {
                if (b.thread().tid() == leader) {
                    Ptrace.setOptions(leader, process.ptraceOptions() & ~Tracer.FORK_EVENTS);
                    try {
                        running.add(b.start());
                    } catch (RuntimeException e) {
                        Ptrace.setOptions(leader, process.ptraceOptions());
                        throw e;
                    }
                } else {
                    running.add(b.start());
                }
            }
        }

        /** Waits for every batch that started; then the live stacks get their bytes back. */
        void finish() {
            RuntimeException failure = null;
            List<long[]> results = new ArrayList<>();
            for (SyscallBatch.Running r : running) {
                try {
                    results.add(r.finish());
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                    results.add(null);
                }
            }
            if (running.size() == batches.size()) {
                Ptrace.setOptions(process.pid(), process.ptraceOptions());
            }
            try {
                if (failure != null) {
                    throw failure;
                }
                if (running.size() < batches.size()) {
                    throw new IllegalStateException("the checkpoint of " + process + " stopped before its fork");
                }
                long[] leader = results.get(results.size() - 1);
                long clone = leader[cloneCall];
                if (clone < 0) {
                    int errno = (int) -clone;
                    if (errno == LinuxException.EAGAIN || errno == LinuxException.ENOMEM) {
                        throw new LinuxException("fork of the snapshot", errno,
                                "the system or the debuggee's cgroup (pids.max / memory.max) refused another process");
                    }
                    throw new LinuxException("fork of the snapshot", errno);
                }
                snapshotPid = (int) clone;
                if (standInCall >= 0 && leader[standInCall] > 0) {
                    standInPid = (int) leader[standInCall]; // none (a refused clone) is no failure: a restart makes do
                }
                sharedPending = Ptrace.peekSigInfo(process.pid(), true);
                for (int i = 0; i < capturing.size(); i++) {
                    threads.add(capturing.get(i).complete(results.get(i)));
                }
                threads.add(0, threads.remove(threads.size() - 1)); // leader first
                RemoteScratch scratch = scratches.get(scratches.size() - 1);
                for (int which = 0; which < 3; which++) {
                    long r = leader[itimerCalls[which]];
                    if (r < 0) {
                        throw new LinuxException("getitimer (injected into " + process + ")", (int) -r);
                    }
                    itimers.add(scratch.read(itimerBuffers[which], ITIMERVAL_SIZE));
                }
            } finally {
                for (RemoteScratch s : scratches) {
                    s.close();
                }
            }
        }

        List<SavedThread> threads() {
            return threads;
        }

        List<byte[]> sharedPending() {
            return sharedPending;
        }

        List<byte[]> itimers() {
            return itimers;
        }

        /**
         * Waits for the snapshot's first stop, the automatic attach stop that comes before its
         * first instruction, gives it its options and its stacks' original bytes (the call tables
         * were there when it forked), and starts tracking it.
         */
        TracedProcess adoptSnapshot(Tracer tracer) {
            if (process.namespaced()) {
                // The clone returned the snapshot's pid inside the namespace; the batch ran with the fork
                // events off, which would have told the backend's. Find it among the parent's children.
                int parent = parentIsOurs ? ProcFs.ids(process.pid()).ppid() : process.pid();
                snapshotPid = dev.rewind.backend.linux.PidNamespaces.childWithInnerPid(parent, snapshotPid);
            }
            int child = snapshotPid;
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
            TracedProcess snapshot = tracer.track(child, TracedProcess.Origin.SNAPSHOT, List.of(child));
            snapshot.sharePidNamespace(process);
            CallStub.inherit(snapshot, process);
            scratches.forEach(s -> s.restoreInto(child));
            return snapshot;
        }

        /** Takes charge of the stand-in the batch made, if any, now that the process runs again. */
        void adoptStandIn(Tracer tracer) {
            if (standInPid <= 0) {
                return;
            }
            try {
                process.setStandIn(Teardown.adopt(tracer, standInPid));
            } catch (RuntimeException e) {
                killStandIn(); // adopt kills a tracked one itself; this is one it never tracked
            }
        }

        /** Kills and reaps a snapshot that was forked but is not tracked yet (and the stand-in made with it). */
        void killSnapshot() {
            killStandIn();
            if (snapshotPid > 0) {
                kill(snapshotPid);
            }
        }

        void killStandIn() {
            if (standInPid > 0) {
                kill(standInPid);
                standInPid = 0;
            }
        }

        private static void kill(int pid) {
            try {
                Signals.kill(pid, Signals.SIGKILL);
                while (!Wait.waitFor(pid).gone()) {
                    // a stop that raced with the kill: SIGKILL ends it anyway
                }
            } catch (LinuxException e) {
                // already gone
            }
        }
    }
}
