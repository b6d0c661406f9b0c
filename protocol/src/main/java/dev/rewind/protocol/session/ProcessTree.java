package dev.rewind.protocol.session;

import java.util.List;

public record ProcessTree(int sessionId, List<ProcessInfo> processes) {
}
