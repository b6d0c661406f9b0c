package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.CloneArgs;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.PidNamespaces;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.linux.UserRegs;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import dev.rewind.backend.trace.InjectedCall;
import dev.rewind.backend.trace.RemoteScratch;
import dev.rewind.backend.trace.SyscallInjector;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.Tracer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Children that had exited but were not reaped at the checkpoint (zombies): found, recreated
 * as zombies of their restored parent, and reaped when the tree they belonged to is killed.
 *
 * <p>A zombie is made again by an injected clone3 in the restored parent (same pid), whose child
 * runs one injected exit_group (or gets its terminating signal) and so leaves the same wait
 * status for the parent's waitpid. Its end sends the parent a SIGCHLD the original parent had
 * already had: the parent's SIGCHLD is blocked meanwhile and the signal taken back with an
 * injected rt_sigtimedwait. Runs on the tracer thread, with the parent stopped. Stateless.
 */
final class Zombies {
    /** A zombie child at checkpoint time and the wait status it holds for its parent. */
    record SavedZombie(int pid, int waitStatus) {
    }

    private static final int SIGSET_SIZE = 8;
    private static final int EXIT_GROUP = 231;
    private static final int RT_SIGTIMEDWAIT = 128;

    private Zombies() {
    }

    /** The zombie children of {@code pid} now. */
    static List<SavedZombie> of(int pid) {
        List<SavedZombie> out = new ArrayList<>();
        for (int child : ProcFs.children(pid)) {
            try {
                if (ProcFs.status(child).getOrDefault("State", "").startsWith("Z")) {
                    out.add(new SavedZombie(child, ProcFs.exitStatus(child)));
                }
            } catch (LinuxException e) {
                // reaped meanwhile
            }
        }
        return out;
    }

    /** The zombie children of {@code p} now, with the pids its namespace gives them (what a restart asks for). */
    static List<SavedZombie> toSave(TracedProcess p) {
        List<SavedZombie> zombies = of(p.pid());
        if (!p.namespaced()) {
            return zombies;
        }
        List<SavedZombie> out = new ArrayList<>();
        for (SavedZombie z : zombies) {
            try {
                out.add(new SavedZombie(PidNamespaces.innermost(z.pid()), z.waitStatus()));
            } catch (LinuxException e) {
                // reaped meanwhile
            }
        }
        return out;
    }

    /**
     * After the tree was killed its zombies are orphans of the backend; reaping them frees their
     * pids for the restart (and leaves no zombie behind).
     */
    static void reapOrphans(List<SavedZombie> zombies) {
        for (SavedZombie z : zombies) {
            try {
                Wait.reapOrphan(z.pid());
            } catch (LinuxException e) {
                // not ours (reaped by someone else)
            }
        }
    }

    /** Recreates {@code saved}'s zombies under {@code parent}; returns warnings for those it could not. */
    static List<String> restore(Tracer tracer, TracedProcess parent, List<SavedZombie> zombies) {
        List<String> warnings = new ArrayList<>();
        if (zombies.isEmpty()) {
            return warnings;
        }
        int tid = parent.leader().tid();
        long mask = Ptrace.getSigMask(tid);
        long sigchld = 1L << (Signals.SIGCHLD - 1);
        Ptrace.setSigMask(tid, mask | sigchld);
        try (RemoteScratch scratch = RemoteScratch.below(parent.leader())) {
            for (SavedZombie z : zombies) {
                try {
                    make(tracer, parent, scratch, z);
                } catch (RuntimeException e) {
                    warnings.add("exited child " + z.pid() + " of process " + parent.pid() + " not recreated: "
                            + e.getMessage() + "; waitpid() for it fails with ECHILD");
                }
            }
            if ((mask & sigchld) == 0) {
                // Take back the SIGCHLD the new zombies sent (one is queued at most: it is not a real-time signal).
                long set = scratch.put(ByteBuffer.allocate(SIGSET_SIZE).order(ByteOrder.LITTLE_ENDIAN).putLong(sigchld).array());
                long zero = scratch.put(new byte[16]);
                SyscallInjector.inject(parent.leader(), RT_SIGTIMEDWAIT, set, 0, zero, SIGSET_SIZE);
            }
        } finally {
            Ptrace.setSigMask(tid, mask);
        }
        return warnings;
    }

    private static void make(Tracer tracer, TracedProcess parent, RemoteScratch scratch, SavedZombie z) {
        CloneArgs a = new CloneArgs();
        a.exit_signal = Signals.SIGCHLD;
        a.set_tid = scratch.put(Restorer.longs(z.pid()));
        a.set_tid_size = 1;
        InjectedCall c = SyscallInjector.inject(parent.leader(), Syscall.CLONE3, scratch.put(a.toBytes()), CloneArgs.SIZE);
        if (c.failed()) {
            throw new LinuxException("clone3", c.errno());
        }
        int child = c.newChild() != 0 ? c.newChild() : (int) c.result();
        Restorer.awaitAttachStop(tracer, child);
        // The child never runs a user instruction: it is pointed at the parent's syscall
        // instruction (same memory) and ends there.
        UserRegs r = Ptrace.getRegs(child);
        r.rip = parent.syscallInstruction();
        r.orig_rax = -1;
        int signal = z.waitStatus() & 0x7f;
        if (signal == 0) {
            r.rax = EXIT_GROUP;
            r.rdi = (z.waitStatus() >> 8) & 0xff;
        } else {
            r.rax = Syscall.KILL; // itself (by the pid its namespace gives it), with the signal that ended the original
            r.rdi = z.pid();
            r.rsi = signal;
        }
        Ptrace.setRegs(child, r);
        int deliver = 0;
        while (true) {
            Ptrace.cont(child, deliver);
            WaitStatus ws = Wait.waitFor(child);
            if (ws.gone()) {
                return; // its real parent, the restored process, holds it now
            }
            // Its exit stop, or the stop for its own terminating signal: let it go on into death.
            deliver = ws.event() == 0 ? ws.stopSignal() : 0;
        }
    }
}
