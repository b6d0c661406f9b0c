package dev.rewind.backend.trace;

import java.time.Duration;

/** A thread did not stop within the bound; the rest of the tree was resumed. */
public final class FreezeTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FreezeTimeoutException(int tid, int pid, Duration bound, String state) {
        super("thread " + tid + " of process " + pid + " did not stop within " + bound.toMillis() + " ms (" + state
                + "); nothing was checkpointed and the process runs on");
    }
}
