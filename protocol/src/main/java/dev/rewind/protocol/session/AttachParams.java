package dev.rewind.protocol.session;

/**
 * @param pid          the process to attach to
 * @param onDisconnect {@code "detach"} (default), {@code "kill"} or {@code "keep"}; see {@link LaunchParams}
 */
public record AttachParams(int pid, String onDisconnect) {
}
