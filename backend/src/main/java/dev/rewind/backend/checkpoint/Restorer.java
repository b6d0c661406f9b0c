package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.CloneArgs;
import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.linux.UserRegs;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import dev.rewind.backend.trace.CallStub;
import dev.rewind.backend.trace.InjectedCall;
import dev.rewind.backend.trace.RemoteScratch;
import dev.rewind.backend.trace.SyscallBatch;
import dev.rewind.backend.trace.SyscallInjector;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import dev.rewind.backend.trace.Tracer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a new live process from a snapshot, leaving the snapshot intact for the next restart.
 *
 * <p>The snapshot forks (an injected clone3) a copy-on-write child. With CLONE_PARENT that child
 * has the backend as parent, as the original had. With {@code set_tid} it gets the original pid,
 * and the other threads, recreated by injected clone3 calls, their original tids: glibc caches
 * tids in memory (mutex owners, robust futexes, its thread structs), so they must not change.
 * The kernel checks CAP_CHECKPOINT_RESTORE for set_tid on the task that calls clone3, which is
 * the snapshot, with the debuggee's credentials. Runs on the tracer thread. Stateless.
 */
final class Restorer {
    /** A restored process and what it could not keep. */
    record Restored(TracedProcess process, List<String> warnings) {
    }

    private static final long THREAD_FLAGS = CloneArgs.CLONE_VM | CloneArgs.CLONE_FS | CloneArgs.CLONE_FILES
            | CloneArgs.CLONE_SIGHAND | CloneArgs.CLONE_THREAD | CloneArgs.CLONE_SYSVSEM | CloneArgs.CLONE_SETTLS;
    private static final int SEEK_SET = 0;
    private static final int SS_DISABLE = 2;
    private static final int EBUSY = 16;

    private Restorer() {
    }

    static Restored restore(Tracer tracer, TracedProcess snapshot, SavedProcess saved) {
        tracer.checkThread();
        List<String> warnings = new ArrayList<>();
        SavedThread main = saved.threads().get(0);
        TracedThread snapThread = snapshot.leader();
        int pid;
        try (RemoteScratch scratch = RemoteScratch.below(snapThread)) {
            CloneArgs a = new CloneArgs();
            // CLONE_PTRACE with the snapshot's fork events off: the child is traced from birth, and
            // the snapshot makes no clone event stop (one round trip less), as for a checkpoint.
            a.flags = CloneArgs.CLONE_PARENT | CloneArgs.CLONE_PTRACE
                    | (main.clearChildTid() != 0 ? CloneArgs.CLONE_CHILD_CLEARTID : 0);
            a.child_tid = main.clearChildTid();
            a.set_tid = scratch.put(longs(saved.pid()));
            a.set_tid_size = 1;
            // In a PID namespace the clone's result is the pid inside it: keep the fork event, which
            // tells the pid the backend must use.
            boolean needEvent = snapshot.namespaced();
            Ptrace.setOptions(snapThread.tid(), snapshot.ptraceOptions() & (needEvent ? ~0 : ~Tracer.FORK_EVENTS));
            InjectedCall c;
            try {
                c = clone3WithPid(snapThread, scratch.put(a.toBytes()), needEvent);
            } finally {
                Ptrace.setOptions(snapThread.tid(), snapshot.ptraceOptions());
            }
            if (c.failed() && c.errno() == LinuxException.EPERM) {
                if (saved.threads().size() > 1) {
                    throw new UnsupportedOperationException("cannot restart a multi-threaded process without keeping "
                            + "its thread ids: clone3 set_tid needs CAP_CHECKPOINT_RESTORE in the debuggee (run the "
                            + "debuggee as root, or give it the capability)");
                }
                warnings.add("pid " + saved.pid() + " could not be kept (no CAP_CHECKPOINT_RESTORE in the debuggee); "
                        + "glibc's cached tid and the program's idea of its pid are stale");
                a.set_tid = 0;
                a.set_tid_size = 0;
                c = SyscallInjector.inject(snapThread, Syscall.CLONE3, scratch.put(a.toBytes()), CloneArgs.SIZE);
            }
            if (c.failed()) {
                String why = c.errno() == LinuxException.EEXIST ? " (pid " + saved.pid() + " is taken by another process)" : "";
                throw new LinuxException("clone3 from the snapshot" + why, c.errno());
            }
            pid = c.newChild() != 0 ? c.newChild() : (int) c.result();
            awaitAttachStop(tracer, pid);
            Ptrace.setOptions(pid, Tracer.TREE_OPTIONS | Ptrace.O_EXITKILL); // it inherited the snapshot's, events off
            // The child copied the snapshot while our clone_args sat on its stack.
            scratch.restoreInto(pid);
        }
        TracedProcess restored = tracer.track(pid, TracedProcess.Origin.RESTORED, List.of(pid));
        restored.sharePidNamespace(snapshot);
        CallStub.inherit(restored, snapshot);
        try {
            warnings.addAll(ProcessGroups.restore(restored, saved.ids(), saved.pid(), saved.fds()));
            recreateThreads(tracer, restored, saved);
            warnings.addAll(Zombies.restore(tracer, restored, saved.zombies()));
            restoreState(restored, saved, true, warnings);
        } catch (RuntimeException e) {
            dev.rewind.backend.trace.Reaper.killAndReap(tracer, restored);
            throw e;
        }
        return new Restored(restored, warnings);
    }

    static void recreateThreads(Tracer tracer, TracedProcess restored, SavedProcess saved) {
        TracedThread leader = restored.leader();
        try (RemoteScratch scratch = RemoteScratch.below(leader)) {
            for (SavedThread st : saved.threads().subList(1, saved.threads().size())) {
                CloneArgs a = new CloneArgs();
                a.flags = THREAD_FLAGS | (st.clearChildTid() != 0 ? CloneArgs.CLONE_CHILD_CLEARTID : 0);
                a.child_tid = st.clearChildTid();
                a.tls = st.registers().fs_base;
                boolean keepTid = restored.nsPid() == saved.pid();
                if (keepTid) {
                    a.set_tid = scratch.put(longs(st.tid()));
                    a.set_tid_size = 1;
                }
                InjectedCall c = SyscallInjector.inject(leader, Syscall.CLONE3, scratch.put(a.toBytes()), CloneArgs.SIZE);
                if (c.failed()) {
                    throw new LinuxException("clone3 of thread " + st.tid(), c.errno());
                }
                int tid = c.newChild() != 0 ? c.newChild() : (int) c.result();
                awaitAttachStop(tracer, tid);
                tracer.trackThread(restored, tid);
            }
        }
    }

    /**
     * Puts back what the new tasks of {@code restored} lack. {@code leaderForked}: its leader is a
     * fork of the snapshot, which carried the leader's rseq registration and sigaltstack over (a
     * fork keeps both; it drops the robust list).
     */
    static void restoreState(TracedProcess restored, SavedProcess saved, boolean leaderForked, List<String> warnings) {
        List<TracedThread> threads = restored.threads();
        TracedThread leader = restored.leader();
        try (RemoteScratch scratch = RemoteScratch.below(leader)) {
            // Each thread makes its calls in one batch through the call stub (one stop each,
            // not one per call); the threads run their batches at once.
            List<StateCalls> calls = new ArrayList<>();
            for (int i = 0; i < threads.size(); i++) {
                calls.add(StateCalls.of(threads.get(i), saved, i, leaderForked && i == 0, scratch));
            }
            List<SyscallBatch.Running> running = new ArrayList<>();
            for (StateCalls c : calls) {
                running.add(c.batch().isEmpty() ? null : c.batch().start());
            }
            for (int i = 0; i < calls.size(); i++) {
                if (running.get(i) != null) {
                    calls.get(i).check(running.get(i).finish(), warnings);
                }
            }
            for (int i = 0; i < threads.size(); i++) {
                TracedThread t = threads.get(i);
                SavedThread st = saved.threads().get(i);
                UserRegs regs = st.registers();
                Ptrace.setRegs(t.tid(), regs);
                Ptrace.setXState(t.tid(), st.xstate());
                Ptrace.setSigMask(t.tid(), st.sigMask());
            }
            // Signals last: once queued, any further injected step could deliver them.
            for (byte[] info : saved.sharedPending()) {
                SyscallInjector.call(leader, "rt_sigqueueinfo", Syscall.RT_SIGQUEUEINFO, restored.nsPid(), signo(info),
                        scratch.put(info));
            }
            for (int i = 0; i < threads.size(); i++) {
                TracedThread t = threads.get(i);
                for (byte[] info : saved.threads().get(i).pendingSignals()) {
                    SyscallInjector.call(t, "rt_tgsigqueueinfo", Syscall.RT_TGSIGQUEUEINFO, restored.nsPid(), t.nsTid(),
                            signo(info), scratch.put(info));
                }
            }
        }
    }

    /**
     * What one restored thread must call to be as it was: its robust list, rseq and sigaltstack
     * (a fork keeps the leader's rseq and sigaltstack: {@code inherited}), and for the leader the
     * file offsets and itimers; each field is the call's index in the batch, or -1.
     */
    private record StateCalls(int tid, SyscallBatch batch, int robustList, int rseq, int altStack, int[] itimers) {
        static StateCalls of(TracedThread t, SavedProcess saved, int index, boolean inherited, RemoteScratch scratch) {
            SavedThread st = saved.threads().get(index);
            SyscallBatch b = new SyscallBatch(t, scratch);
            int robust = st.robustList() != 0 ? b.add(Syscall.SET_ROBUST_LIST, st.robustList(), 24) : -1;
            int rseq = st.rseq() != null && st.rseq().registered() && !inherited
                    ? b.add(Syscall.RSEQ, st.rseq().abiPointer(), st.rseq().abiSize(), 0, st.rseq().signature()) : -1;
            int ssFlags = ByteBuffer.wrap(st.altStack()).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
            int alt = (ssFlags & SS_DISABLE) == 0 && !inherited ? b.add(Syscall.SIGALTSTACK, scratch.put(st.altStack()), 0) : -1;
            int[] itimers = {-1, -1, -1};
            if (index == 0) {
                for (FdInfo fd : saved.fds()) {
                    if (fd.seekable() && !fd.append()) {
                        // The restored process shares open file descriptions with the snapshot and the
                        // dead live process, whose reads and writes moved the offsets on.
                        b.add(Syscall.LSEEK, fd.fd(), fd.pos(), SEEK_SET);
                    }
                }
                for (int which = 0; which < saved.itimers().size(); which++) {
                    byte[] value = saved.itimers().get(which);
                    if (!isZero(value)) {
                        itimers[which] = b.add(Syscall.SETITIMER, which, scratch.put(value), 0);
                    }
                }
            }
            return new StateCalls(st.tid(), b, robust, rseq, alt, itimers);
        }

        /** Throws for what must not fail (robust list, itimers); warns for the rest. */
        void check(long[] r, List<String> warnings) {
            if (robustList >= 0 && r[robustList] < 0) {
                throw new LinuxException("set_robust_list (injected into thread " + tid + ")", (int) -r[robustList]);
            }
            if (rseq >= 0 && r[rseq] < 0 && r[rseq] != -EBUSY) { // EBUSY: inherited through the fork already
                warnings.add("rseq of thread " + tid + " not registered again: errno " + -r[rseq]);
            }
            if (altStack >= 0 && r[altStack] < 0) {
                warnings.add("sigaltstack of thread " + tid + " not restored: errno " + -r[altStack]);
            }
            for (int call : itimers) {
                if (call >= 0 && r[call] < 0) {
                    throw new LinuxException("setitimer (injected into thread " + tid + ")", (int) -r[call]);
                }
            }
        }
    }

    /**
     * Injects clone3 with the arguments at {@code args} (set_tid set). In a PID namespace of its own
     * ({@code namespaced}) the killed tree is reaped by the namespace's init, on its own time: a pid
     * it has not let go of yet is still taken (EEXIST), so the call is repeated for up to 1 s.
     */
    static InjectedCall clone3WithPid(TracedThread t, long args, boolean namespaced) {
        InjectedCall c = SyscallInjector.inject(t, Syscall.CLONE3, args, CloneArgs.SIZE);
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (namespaced && c.failed() && c.errno() == LinuxException.EEXIST && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            c = SyscallInjector.inject(t, Syscall.CLONE3, args, CloneArgs.SIZE);
        }
        return c;
    }

    static void awaitAttachStop(Tracer tracer, int tid) {
        while (true) {
            WaitStatus ws = Wait.waitFor(tid);
            if (ws.gone()) {
                throw new IllegalStateException("the restored task " + tid + " died at birth: " + ws);
            }
            if (ws.event() == Ptrace.EVENT_STOP) {
                return;
            }
            tracer.dispatchLater(ws);
        }
    }

    private static int signo(byte[] siginfo) {
        return ByteBuffer.wrap(siginfo).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static byte[] longs(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
