package dev.rewind.protocol.breakpoint;

/** Names one breakpoint of a session. */
public record BreakpointParams(int sessionId, int breakpointId) {
}
