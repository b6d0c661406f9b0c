package dev.rewind.backend.trace;

/**
 * One traced thread. Confined to the tracer thread.
 */
public final class TracedThread {
    private final int tid;
    private final TracedProcess process;
    private boolean stopped;
    private int deferredSignal;
    private boolean fresh;
    private boolean held;
    /** The signal of the job-control stop (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) it sits in, or 0. */
    private int jobControlStop;
    private boolean strayStepTrap;
    private int nsTid;

    TracedThread(int tid, TracedProcess process, boolean stopped) {
        this.tid = tid;
        this.process = process;
        this.stopped = stopped;
    }

    public int tid() {
        return tid;
    }

    /** Its tid as its program sees it (gettid()); see {@link TracedProcess#nsPid()}. */
    public int nsTid() {
        if (!process.namespaced()) {
            return tid;
        }
        if (nsTid == 0) {
            nsTid = tid == process.pid() ? process.nsPid() : dev.rewind.backend.linux.PidNamespaces.innermost(tid);
        }
        return nsTid;
    }

    public TracedProcess process() {
        return process;
    }

    /** Whether the thread sits in a ptrace-stop that we hold. */
    public boolean stopped() {
        return stopped;
    }

    void setStopped(boolean stopped) {
        this.stopped = stopped;
    }

    /**
     * A signal the kernel already dequeued for this thread (it reported a signal-delivery-stop
     * while we were stopping it) and that must be delivered when it resumes; 0 if none.
     */
    public int deferredSignal() {
        return deferredSignal;
    }

    public void setDeferredSignal(int signal) {
        this.deferredSignal = signal;
    }

    /** Created by the tree and not yet through its first (attach) stop. */
    boolean fresh() {
        return fresh;
    }

    void setFresh(boolean fresh) {
        this.fresh = fresh;
    }

    /**
     * Kept in its next ptrace-stop (its first, for a new child) instead of being let go by the
     * event loop: a debugger was told of it and decides when it runs.
     */
    public boolean held() {
        return held;
    }

    public void setHeld(boolean held) {
        this.held = held;
    }

    @Override
    public String toString() {
        return "thread " + tid + " of " + process.pid();
    }

    public int jobControlStop() {
        return jobControlStop;
    }

    void setJobControlStop(int signal) {
        jobControlStop = signal;
    }

    /**
     * A single-step of this thread was interrupted inside a system call: the kernel queued the
     * step's SIGTRAP (TRAP_TRACE) as the call returned, and it will come at the next resume. It
     * is ours, not the program's, and must be swallowed.
     */
    public boolean strayStepTrap() {
        return strayStepTrap;
    }

    public void setStrayStepTrap(boolean stray) {
        strayStepTrap = stray;
    }
}
