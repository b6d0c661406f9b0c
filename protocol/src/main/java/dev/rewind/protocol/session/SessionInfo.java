package dev.rewind.protocol.session;

/**
 * @param state        {@code "running"}, {@code "stopped"} or {@code "exited"} (see {@link SessionStates})
 * @param origin       {@code "launched"} or {@code "attached"}
 * @param onDisconnect {@code "kill"}, {@code "detach"} or {@code "keep"}
 * @param currentCrid  the checkpoint the live process descends from, or null
 * @param checkpoints  how many checkpoints the session holds
 */
public record SessionInfo(int sessionId, int pid, String program, String state, String origin,
        String onDisconnect, Long currentCrid, int checkpoints) {
}
