package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * Single-steps one stopped thread while the others stay stopped, and says what came of it.
 * Runs on the tracer thread. Stateless.
 */
public final class Stepper {
    /** What ended the step. */
    /** FORKED: the step ran a fork; it is finished, and {@link Result#forkedChild()} is the new process. */
    public enum Outcome { STEPPED, SIGNAL, EXITED, INTERRUPTED, FORKED }



    /**
     * @param signal      the signal that stopped the thread instead of the step, or its exit status
     * @param forkedChild for FORKED, the pid of the child the step's fork made
     */
    public record Result(Outcome outcome, int signal, int rawStatus, int forkedChild) {
        Result(Outcome outcome, int signal, int rawStatus) {
            this(outcome, signal, rawStatus, 0);
        }
    }

    private Stepper() {
    }

    public static Result step(Tracer tracer, TracedThread t, int signal) {
        return step(tracer, t, signal, () -> false);
    }

    /**
     * As {@link #step(Tracer, TracedThread, int)}; when {@code interrupt} turns true while the step
     * waits (it is blocked in a system call), the thread is stopped with PTRACE_INTERRUPT and the
     * outcome is INTERRUPTED. Whoever sets the flag must {@link Tracer#wake()} the tracer.
     */
    public static Result step(Tracer tracer, TracedThread t, int signal, BooleanSupplier interrupt) {
        tracer.checkThread();
        int sig = signal != 0 ? signal : t.deferredSignal();
        t.setDeferredSignal(0);
        Ptrace.singleStep(t.tid(), sig);
        t.setStopped(false);
        boolean interrupted = false;
        int forked = 0;
        while (true) {
            WaitStatus ws;
            try {
                // Any tracee, not just this thread: the doorbell must be able to wake us for an interrupt.
                ws = Wait.waitFor(-1);
            } catch (LinuxException e) {
                return new Result(Outcome.EXITED, 0, 0);
            }
            if (ws.tid() != t.tid()) {
                tracer.dispatchLater(ws);
                if (!interrupted && interrupt.getAsBoolean()) {
                    Ptrace.interrupt(t.tid());
                    interrupted = true;
                }
                continue;
            }
            if (ws.gone()) {
                tracer.dispatchLater(ws);
                return new Result(Outcome.EXITED, 0, ws.raw());
            }
            t.setStopped(true);
            int ev = ws.event();
            if (ev == 0 && ws.stopSignal() == Signals.SIGTRAP && t.strayStepTrap()) {
                t.setStrayStepTrap(false); // an earlier interrupted step's trap, not this step's
                Ptrace.singleStep(t.tid(), 0);
                t.setStopped(false);
                continue;
            }
            if (ev == 0 && ws.stopSignal() == Signals.SIGTRAP) {
                return forked != 0 ? new Result(Outcome.FORKED, Signals.SIGTRAP, ws.raw(), forked)
                        : new Result(Outcome.STEPPED, Signals.SIGTRAP, ws.raw());
            }
            if (ev == Ptrace.EVENT_STOP && interrupted) {
                t.setStrayStepTrap(hasPendingStepTrap(t.tid()));
                return new Result(Outcome.INTERRUPTED, 0, ws.raw());
            }
            if (ev == 0) {
                return new Result(Outcome.SIGNAL, ws.stopSignal(), ws.raw());
            }
            if (ev == Ptrace.EVENT_FORK || ev == Ptrace.EVENT_VFORK || ev == Ptrace.EVENT_CLONE) {
                // The stepped instruction was a fork or clone: let the loop learn of the child,
                // and finish the step.
                tracer.dispatchChildEvent(t, ws);
                if (ev == Ptrace.EVENT_FORK) {
                    forked = (int) Ptrace.eventMessage(t.tid());
                }
            }
            Ptrace.singleStep(t.tid(), 0);
            t.setStopped(false);
        }
    }

    private static boolean hasPendingStepTrap(int tid) {
        for (byte[] info : Ptrace.peekSigInfo(tid, false)) {
            ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN);
            // x86 reports a step that ends in a system call's exit with si_code TRAP_BRKPT, others
            // with TRAP_TRACE: any SIGTRAP the kernel raised (si_code > 0) is the step's.
            if (b.getInt(0) == Signals.SIGTRAP && b.getInt(8) > 0) {
                return true;
            }
        }
        return false;
    }
}
