package dev.rewind.protocol.session;

/** The answer to {@code session/launch} and {@code session/attach}. */
public record SessionStarted(int sessionId, int pid) {
}
