package dev.rewind.backend.checkpoint;

/** A software breakpoint (int3) at {@code address}; with {@code checkpointOnHit} every hit takes a checkpoint. */
public record Breakpoint(int id, long address, boolean checkpointOnHit) {
}
