package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;

/**
 * Single-steps one stopped thread while the others stay stopped, and says what came of it.
 * Runs on the tracer thread. Stateless.
 */
public final class Stepper {
    /** What ended the step. */
    public enum Outcome { STEPPED, SIGNAL, EXITED }

    /**
     * @param signal the signal that stopped the thread instead of the step, or its exit status
     */
    public record Result(Outcome outcome, int signal, int rawStatus) {
    }

    private Stepper() {
    }

    public static Result step(Tracer tracer, TracedThread t, int signal) {
        tracer.checkThread();
        int sig = signal != 0 ? signal : t.deferredSignal();
        t.setDeferredSignal(0);
        Ptrace.singleStep(t.tid(), sig);
        t.setStopped(false);
        while (true) {
            WaitStatus ws;
            try {
                ws = Wait.waitFor(t.tid());
            } catch (LinuxException e) {
                return new Result(Outcome.EXITED, 0, 0);
            }
            if (ws.gone()) {
                tracer.dispatchLater(ws);
                return new Result(Outcome.EXITED, 0, ws.raw());
            }
            t.setStopped(true);
            int ev = ws.event();
            if (ev == 0 && ws.stopSignal() == Signals.SIGTRAP) {
                return new Result(Outcome.STEPPED, Signals.SIGTRAP, ws.raw());
            }
            if (ev == 0) {
                return new Result(Outcome.SIGNAL, ws.stopSignal(), ws.raw());
            }
            if (ev == Ptrace.EVENT_FORK || ev == Ptrace.EVENT_VFORK || ev == Ptrace.EVENT_CLONE) {
                // The stepped instruction was a fork or clone: let the loop learn of the child,
                // and finish the step.
                tracer.dispatchChildEvent(t, ws);
            }
            Ptrace.singleStep(t.tid(), 0);
            t.setStopped(false);
        }
    }
}
