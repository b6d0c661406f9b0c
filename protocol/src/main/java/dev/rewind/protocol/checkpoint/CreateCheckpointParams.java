package dev.rewind.protocol.checkpoint;

/** @param label a name for people; may be omitted */
public record CreateCheckpointParams(int sessionId, String label) {
}
