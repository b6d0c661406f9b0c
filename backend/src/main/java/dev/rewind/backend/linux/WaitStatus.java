package dev.rewind.backend.linux;

/**
 * One result of waitpid(2): which task changed state and the raw status word, decoded
 * as the macros in {@code <sys/wait.h>} do.
 */
public record WaitStatus(int tid, int raw) {
    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    public int exitCode() {
        return (raw >> 8) & 0xff;
    }

    public boolean killed() {
        return ((raw & 0x7f) + 1) >> 1 > 0 && !stopped();
    }

    public int termSignal() {
        return raw & 0x7f;
    }

    public boolean stopped() {
        return (raw & 0xff) == 0x7f;
    }

    public int stopSignal() {
        return (raw >> 8) & 0xff;
    }

    /** The PTRACE_EVENT_* of an event stop, or 0 for a plain signal-delivery-stop. */
    public int event() {
        return stopped() ? (raw >> 16) & 0xff : 0;
    }

    /** Whether the task is gone (exited or killed by a signal). */
    public boolean gone() {
        return exited() || killed();
    }

    @Override
    public String toString() {
        if (exited()) {
            return tid + " exited " + exitCode();
        }
        if (killed()) {
            return tid + " killed by signal " + termSignal();
        }
        return tid + " stopped sig=" + stopSignal() + " event=" + event();
    }
}
