package dev.rewind.protocol.checkpoint;

import java.util.List;

/** @param currentCrid the checkpoint the live process descends from, or null */
public record CheckpointList(int sessionId, List<CheckpointInfo> checkpoints, Long currentCrid) {
}
