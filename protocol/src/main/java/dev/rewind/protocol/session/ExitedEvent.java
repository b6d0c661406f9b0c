package dev.rewind.protocol.session;

/**
 * The params of {@code session/exited}.
 *
 * @param exitCode the exit status when it exited normally
 * @param signal   the signal that killed it, or 0
 */
public record ExitedEvent(int sessionId, int pid, int exitCode, int signal) {
}
