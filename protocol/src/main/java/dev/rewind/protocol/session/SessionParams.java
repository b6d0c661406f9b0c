package dev.rewind.protocol.session;

/** Names one session. */
public record SessionParams(int sessionId) {
}
