package dev.rewind.protocol.session;

import java.util.List;

public record SessionList(List<SessionInfo> sessions) {
}
