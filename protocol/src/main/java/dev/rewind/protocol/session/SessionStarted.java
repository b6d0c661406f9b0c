package dev.rewind.protocol.session;

import java.util.List;

/**
 * The answer to {@code session/launch}, {@code session/attach} and {@code image/restore}.
 *
 * @param warnings what a restore from an image could not bring back (omitted when nothing)
 */
public record SessionStarted(int sessionId, int pid, List<String> warnings) {
    public SessionStarted(int sessionId, int pid) {
        this(sessionId, pid, null);
    }
}
