package dev.rewind.protocol.checkpoint;

/** Values of {@link CheckpointInfo#reason()}. Stateless constants. */
public final class CheckpointReasons {
    /** {@code checkpoint/create}. */
    public static final String MANUAL = "manual";
    /** A breakpoint set with {@code checkpoint: true} was hit. */
    public static final String BREAKPOINT = "breakpoint";
    public static final String STOP = "stop";
    public static final String PERIODIC = "periodic";

    private CheckpointReasons() {
    }
}
