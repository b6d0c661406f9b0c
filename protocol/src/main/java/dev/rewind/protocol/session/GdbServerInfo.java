package dev.rewind.protocol.session;

/**
 * Where gdb connects to a session: {@code target extended-remote HOST:PORT}.
 *
 * @param host    the address the stub listens on (loopback)
 * @param port    its TCP port
 * @param command the gdb command to connect, ready to paste
 */
public record GdbServerInfo(int sessionId, String host, int port, String command) {
}
