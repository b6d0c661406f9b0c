package dev.rewind.protocol.session;

/**
 * Where gdb connects to a session: {@code target extended-remote HOST:PORT}, or
 * {@code target extended-remote PATH} for a Unix domain socket (what this backend serves).
 *
 * @param host    the address the stub listens on (loopback), or the path of its Unix domain socket
 * @param port    its TCP port; 0 for a Unix domain socket
 * @param command the gdb command to connect, ready to paste
 * @param script  the path of Rewind's gdb script (rw-checkpoint, rw-restart, rw-back, ...; what
 *                {@code rewind gdb-init} prints): {@code source} it before connecting; may be
 *                omitted by older backends
 */
public record GdbServerInfo(int sessionId, String host, int port, String command, String script) {
    public GdbServerInfo(int sessionId, String host, int port, String command) {
        this(sessionId, host, port, command, null);
    }
}
