package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.linux.UserRegs;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;

/**
 * Makes a stopped thread execute one system call for us, then puts its registers back.
 *
 * <p>The thread's RIP is pointed at a {@code syscall} instruction in its vDSO and single-stepped.
 * {@code orig_rax} is set to -1: if the thread was stopped inside an interrupted syscall, the
 * kernel would otherwise "restart" that syscall with our registers on the way out. Restoring the
 * saved registers afterwards restores the pending restart too, so the interrupted call resumes as
 * if nothing happened. Runs on the tracer thread. Stateless.
 */
public final class SyscallInjector {
    private SyscallInjector() {
    }

    public static InjectedCall inject(TracedThread thread, long number, long... args) {
        return start(thread, number, args).finish();
    }

    /**
     * Starts a call and returns while the thread runs it, so that the tracer can do other work
     * meanwhile (a fork takes hundreds of microseconds). No other ptrace request may touch the
     * thread before {@link Pending#finish()}.
     */
    public static Pending start(TracedThread thread, long number, long... args) {
        int tid = thread.tid();
        long at = thread.process().syscallInstruction();
        UserRegs saved = Ptrace.getRegs(tid);
        Ptrace.setRegs(tid, callRegisters(saved, at, number, args));
        try {
            Ptrace.singleStep(tid, 0);
        } catch (LinuxException e) {
            restore(tid, saved);
            throw e;
        }
        return new Pending(thread, number, at, saved);
    }

    /** A call the thread is running; its registers are put back by {@link #finish()}. */
    public static final class Pending {
        private final TracedThread thread;
        private final long number;
        private final long at;
        private final UserRegs saved;

        private Pending(TracedThread thread, long number, long at, UserRegs saved) {
            this.thread = thread;
            this.number = number;
            this.at = at;
            this.saved = saved;
        }

        /** Waits until the call has returned, and puts the thread's registers back. */
        public InjectedCall finish() {
            int tid = thread.tid();
            int child = 0;
            try {
                while (true) {
                    WaitStatus ws = Wait.waitFor(tid);
                    if (ws.gone()) {
                        throw new LinuxException("injected syscall " + number + " in " + thread, LinuxException.ESRCH,
                                "the thread ended: " + ws);
                    }
                    int ev = ws.event();
                    if (ev == Ptrace.EVENT_FORK || ev == Ptrace.EVENT_VFORK || ev == Ptrace.EVENT_CLONE) {
                        child = (int) Ptrace.eventMessage(tid);
                    } else if (ev == 0 && ws.stopSignal() == Signals.SIGTRAP) {
                        UserRegs after = Ptrace.getRegs(tid);
                        if (after.rip == at + 2) {
                            return new InjectedCall(after.rax, child);
                        }
                    } else if (ev == 0) {
                        // A signal arrived first; the kernel dequeued it. Deliver it when the thread resumes.
                        thread.setDeferredSignal(ws.stopSignal());
                    }
                    // EVENT_STOP: a PTRACE_INTERRUPT that was still pending. Step on.
                    Ptrace.singleStep(tid, 0);
                }
            } finally {
                restore(tid, saved);
            }
        }
    }

    /**
     * Leaves a stopped thread stopped, without the kernel's single-step flag. After
     * PTRACE_SINGLESTEP the kernel keeps the trap flag set until the next PTRACE_CONT or
     * PTRACE_DETACH; a tracer that dies (SIGKILL) detaches its tracees without clearing it, and
     * the thread then dies of SIGTRAP after its next instruction. A process we attached to must
     * outlive us, so before one of its threads is left stopped, one harmless call (getpid) runs
     * under PTRACE_SYSCALL, which clears the flag, and the thread stops again at the call's exit.
     */
    public static void clearSingleStep(TracedThread thread) {
        int tid = thread.tid();
        long at = thread.process().syscallInstruction();
        UserRegs saved = Ptrace.getRegs(tid);
        Ptrace.setRegs(tid, callRegisters(saved, at, GETPID));
        try {
            int syscallStops = 0;
            while (syscallStops < 2) { // entry, then exit
                Ptrace.syscall(tid, 0);
                WaitStatus ws = Wait.waitFor(tid);
                if (ws.gone()) {
                    return;
                }
                if (ws.event() == 0 && ws.stopSignal() == Signals.SIGTRAP) {
                    syscallStops++;
                } else if (ws.event() == 0) {
                    thread.setDeferredSignal(ws.stopSignal());
                }
            }
        } finally {
            restore(tid, asAfterRestart(saved));
        }
    }

    private static final long GETPID = 39;
    private static final long RESTART_SYSCALL = 219;

    /**
     * The registers a thread stopped inside an interrupted call would have once the kernel
     * restarted it. A thread resumed from a syscall-exit stop goes back to user space without the
     * restart logic (that runs only while a signal is being handled), so what the kernel would
     * have done is done here: back over the syscall instruction to run the call again.
     */
    private static UserRegs asAfterRestart(UserRegs saved) {
        UserRegs r = saved.copy();
        if (r.orig_rax >= 0) {
            long err = -r.rax;
            if (err == Syscall.ERESTARTSYS || err == Syscall.ERESTARTNOINTR || err == Syscall.ERESTARTNOHAND) {
                r.rax = r.orig_rax;
                r.rip -= 2;
            } else if (err == Syscall.ERESTART_RESTARTBLOCK) {
                r.rax = RESTART_SYSCALL; // the kernel keeps the call's restart block for it
                r.rip -= 2;
            }
        }
        r.orig_rax = -1;
        return r;
    }

    /**
     * {@code saved} set up to run call {@code number} at the syscall instruction {@code at}, with
     * orig_rax -1 so that the kernel restarts nothing with our registers.
     */
    private static UserRegs callRegisters(UserRegs saved, long at, long number, long... args) {
        UserRegs r = saved.copy();
        r.rax = number;
        r.orig_rax = -1;
        r.rip = at;
        long[] a = java.util.Arrays.copyOf(args, 6);
        r.rdi = a[0];
        r.rsi = a[1];
        r.rdx = a[2];
        r.r10 = a[3];
        r.r8 = a[4];
        r.r9 = a[5];
        return r;
    }

    private static void restore(int tid, UserRegs saved) {
        try {
            Ptrace.setRegs(tid, saved);
        } catch (LinuxException e) {
            // the thread is gone; nothing to put back
        }
    }

    /** Like {@link #inject} but throws when the call fails. */
    public static long call(TracedThread thread, String name, long number, long... args) {
        InjectedCall c = inject(thread, number, args);
        if (c.failed()) {
            throw new LinuxException(name + " (injected into " + thread + ")", c.errno());
        }
        return c.result();
    }
}
