package dev.rewind.plugin.mi;

/** gdb answered a command with {@code ^error}: the message is gdb's. */
public final class MiCommandException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String command;

    public MiCommandException(String command, String message) {
        super(message);
        this.command = command;
    }

    /** The MI command that failed, without its token. */
    public String command() {
        return command;
    }
}
