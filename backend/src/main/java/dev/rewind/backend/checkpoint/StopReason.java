package dev.rewind.backend.checkpoint;

/** Why the debuggee stopped, or that it ended. */
public enum StopReason {
    /** Launched and held at its first instruction. */
    ENTRY,
    BREAKPOINT,
    /** A hardware watchpoint fired ({@link StopEvent#breakpointId()} is its id). */
    WATCHPOINT,
    /** A single-step finished. */
    STEP,
    /** The program was replaced (exec); held there only when asked ({@link Debuggee#setStopAtExec}). */
    EXEC,
    /**
     * The program forked ({@link StopEvent#forkedChild()} is the child, held at its first
     * instruction); only when asked ({@link Debuggee#setStopAtFork}).
     */
    FORK,
    /** As FORK, for a vfork: the parent stays in the call, sharing its memory, until VFORK_DONE. */
    VFORK,
    /** The child of a reported vfork exec'd or exited: the parent's memory is its own again. */
    VFORK_DONE,
    /** A signal arrived that is not passed through silently. */
    SIGNAL,
    /** Stopped on request ({@link Debuggee#pause()}). */
    PAUSED,
    EXITED,
    KILLED
}
