package dev.rewind.backend.checkpoint;

/** A crid that names no checkpoint of this debuggee (never taken, or dropped). */
public final class UnknownCheckpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownCheckpointException(Crid crid) {
        super("no checkpoint with crid " + crid + " (never taken, or dropped)");
    }
}
