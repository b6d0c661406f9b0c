package dev.rewind.protocol.breakpoint;

/** @param function the symbol it was set by, or null when set by address */
public record BreakpointInfo(int breakpointId, long address, String function, boolean checkpoint) {
}
