package dev.rewind.protocol.session;

/** Values of {@link StoppedEvent#reason()}. Stateless constants. */
public final class StopReasons {
    /** Stopped at the first instruction ({@code stopAtEntry}). */
    public static final String ENTRY = "entry";
    public static final String BREAKPOINT = "breakpoint";
    /** A {@code session/step} finished. */
    public static final String STEP = "step";
    /** A signal arrived that is not passed through silently. */
    public static final String SIGNAL = "signal";
    /** {@code session/pause}. */
    public static final String PAUSED = "paused";
    /** The live process exited normally. */
    public static final String EXITED = "exited";
    /** The live process was killed by a signal. */
    public static final String KILLED = "killed";

    private StopReasons() {
    }
}
