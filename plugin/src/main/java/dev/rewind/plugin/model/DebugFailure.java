package dev.rewind.plugin.model;

/** A debugger operation failed; the message is for the user (often gdb's or the backend's own). */
public final class DebugFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public DebugFailure(String message) {
        super(message);
    }
}
