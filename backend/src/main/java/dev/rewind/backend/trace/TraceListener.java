package dev.rewind.backend.trace;

/**
 * What the tracer reports to the layer above. Called on the tracer thread; implementations
 * must hand work elsewhere rather than block.
 */
public interface TraceListener {
    /** A process of the tree ended; {@code status} is the raw wait status of its leader. */
    default void processExited(TracedProcess process, int status) {
    }

    /** A new process appeared in the tree (fork, vfork or clone without CLONE_THREAD). */
    default void processCreated(TracedProcess parent, TracedProcess child) {
    }

    /**
     * {@code parent} (in its fork or vfork event stop, inside the call) forked {@code child}, a
     * new process already known to the tracer; {@code vfork}: the parent stays in the call until
     * the child execs or exits (then {@link #vforkDone}), and they share memory till then. Return
     * true to keep {@code parent} stopped; whoever holds it resumes it. Not called for a fork met
     * while a freeze or a single-step has the parent.
     */
    default boolean processForked(TracedThread parent, TracedProcess child, boolean vfork) {
        return false;
    }

    /**
     * The vfork of {@code parent} is over: its child exec'd or exited, and no longer shares its
     * memory. Return true to keep {@code parent} stopped (in its vfork-done event stop).
     */
    default boolean vforkDone(TracedThread parent) {
        return false;
    }

    /**
     * A process of the tree replaced its program (exec). Its memory is new: anything written into
     * the old image (breakpoints) is gone. Return true to keep it stopped at the exec, when
     * {@code canHold} (false while a freeze has it stopped anyway); whoever holds it resumes it.
     */
    default boolean processExeced(TracedProcess process, boolean canHold) {
        return false;
    }

    /** Returned by {@link #signalReceived} to keep the thread in its ptrace-stop. */
    int HOLD = -1;

    /**
     * A thread got a signal (a signal-delivery-stop: the kernel has dequeued it). Return the
     * signal to deliver (usually {@code signal} itself; 0 suppresses it), or {@link #HOLD} to
     * keep the thread stopped; whoever holds it resumes it later, with the signal or without.
     * The default passes every signal on, as a program run without a debugger would see it.
     */
    default int signalReceived(TracedThread thread, int signal) {
        return signal;
    }
}
