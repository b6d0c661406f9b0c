package dev.rewind.protocol.session;

/** @param tid the thread to step; 0 for the thread of the last stop */
public record StepParams(int sessionId, int tid) {
}
