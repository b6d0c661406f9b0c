package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;

/**
 * Kills a traced process and reaps every thread of it, so that its pid is free again (restart
 * reuses it) and nothing is left as a zombie. Runs on the tracer thread. Stateless.
 */
public final class Reaper {
    private Reaper() {
    }

    public static void killAndReap(Tracer tracer, TracedProcess p) {
        tracer.checkThread();
        try {
            Signals.kill(p.pid(), Signals.SIGKILL);
        } catch (LinuxException e) {
            if (e.errno() != LinuxException.ESRCH) {
                throw e;
            }
        }
        // Non-leader threads first: the kernel reports the leader only once all of them are gone.
        for (TracedThread t : p.threads()) {
            if (t.tid() != p.pid()) {
                reap(t.tid());
            }
        }
        reap(p.pid());
        tracer.forget(p);
    }

    private static void reap(int tid) {
        while (true) {
            WaitStatus ws;
            try {
                ws = Wait.waitFor(tid);
            } catch (LinuxException e) {
                return; // ECHILD: already reaped
            }
            if (ws.gone()) {
                return;
            }
            // A PTRACE_EVENT_EXIT stop (or a stop that raced with the kill): let it die.
            try {
                Ptrace.cont(tid, 0);
            } catch (LinuxException e) {
                // it may be gone already
            }
        }
    }
}
