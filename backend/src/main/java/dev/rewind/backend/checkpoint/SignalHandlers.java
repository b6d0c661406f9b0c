package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.trace.InjectedCall;
import dev.rewind.backend.trace.RemoteScratch;
import dev.rewind.backend.trace.SyscallInjector;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;

/**
 * A process's signal dispositions: read from a stopped process (a snapshot) by injected
 * rt_sigaction calls, and installed the same way. /proc tells only which signals are caught, not
 * the handler, its flags, restorer and mask. Runs on the tracer thread. Stateless.
 */
final class SignalHandlers {
    /** sizeof(struct kernel_sigaction) on x86-64: handler, flags, restorer, 8-byte mask. */
    static final int SIGACTION_SIZE = 32;

    private SignalHandlers() {
    }

    /** Index: the signal number; null for signals whose action is fixed or glibc's own (32, 33). */
    static byte[][] read(TracedProcess p) {
        byte[][] out = new byte[65][];
        try (RemoteScratch s = RemoteScratch.below(p.leader())) {
            long buf = s.reserve(SIGACTION_SIZE);
            for (int sig = 1; sig <= 64; sig++) {
                if (settable(sig)) {
                    InjectedCall get = SyscallInjector.inject(p.leader(), Syscall.RT_SIGACTION, sig, 0, buf, 8);
                    out[sig] = get.failed() ? null : s.read(buf, SIGACTION_SIZE);
                }
            }
        }
        return out;
    }

    /** Installs {@code actions} (as {@link #read} returns them) in {@code t}'s process, through its page at {@code scratch}. */
    static void install(TracedThread t, long scratch, byte[][] actions) {
        for (int sig = 1; sig < actions.length; sig++) {
            if (actions[sig] != null && settable(sig)) {
                ProcessMemory.write(t.process().pid(), scratch, actions[sig]);
                SyscallInjector.inject(t, Syscall.RT_SIGACTION, sig, scratch, 0, 8);
            }
        }
    }

    private static boolean settable(int sig) {
        return sig != Signals.SIGKILL && sig != Signals.SIGSTOP && sig != 32 && sig != 33;
    }
}
