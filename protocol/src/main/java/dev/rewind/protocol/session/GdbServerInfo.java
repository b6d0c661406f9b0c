package dev.rewind.protocol.session;

/**
 * Where gdb connects to a session: {@code target extended-remote HOST:PORT}, or
 * {@code target extended-remote PATH} for a Unix domain socket (what this backend serves).
 *
 * @param host    the address the stub listens on (loopback), or the path of its Unix domain socket
 * @param port    its TCP port; 0 for a Unix domain socket
 * @param command the gdb command to connect, ready to paste
 */
public record GdbServerInfo(int sessionId, String host, int port, String command) {
}
