package dev.rewind.protocol.session;

/** @param timeoutMs how long to wait for a stop; 0 only looks */
public record WaitParams(int sessionId, long timeoutMs) {
}
