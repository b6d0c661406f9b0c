package dev.rewind.protocol.session;

/** Values of {@link SessionInfo#state()}. Stateless constants. */
public final class SessionStates {
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";
    public static final String EXITED = "exited";

    private SessionStates() {
    }
}
