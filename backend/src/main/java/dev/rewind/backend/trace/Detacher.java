package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;

/**
 * Lets go of a process we attached to, leaving it running as we found it. PTRACE_DETACH needs
 * the thread in a ptrace-stop, so running threads are interrupted first. Stateless.
 */
public final class Detacher {
    private Detacher() {
    }

    public static void detach(Tracer tracer, TracedProcess p) {
        tracer.checkThread();
        for (TracedThread t : p.threads()) {
            try {
                if (!t.stopped()) {
                    Ptrace.interrupt(t.tid());
                    WaitStatus ws = Wait.waitFor(t.tid());
                    if (ws.gone()) {
                        continue;
                    }
                    if (ws.event() == 0 && ws.stopSignal() != 0) {
                        t.setDeferredSignal(ws.stopSignal());
                    }
                }
                Ptrace.detach(t.tid(), t.deferredSignal());
            } catch (LinuxException e) {
                // a thread that ended meanwhile needs no detach
            }
        }
        tracer.forget(p);
    }
}
