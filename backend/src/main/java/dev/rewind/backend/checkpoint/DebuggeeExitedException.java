package dev.rewind.backend.checkpoint;

/** The debuggee's live process has ended; only its checkpoints remain (restart one to go on). */
public final class DebuggeeExitedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DebuggeeExitedException() {
        super("the debuggee has exited; restart it from a checkpoint");
    }
}
