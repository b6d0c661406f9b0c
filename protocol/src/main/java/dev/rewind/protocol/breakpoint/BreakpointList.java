package dev.rewind.protocol.breakpoint;

import java.util.List;

public record BreakpointList(int sessionId, List<BreakpointInfo> breakpoints) {
}
