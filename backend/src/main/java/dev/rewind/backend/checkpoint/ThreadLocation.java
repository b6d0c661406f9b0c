package dev.rewind.backend.checkpoint;

/** Where a thread was at a checkpoint: its pc and, where a symbol table has one, the function. */
public record ThreadLocation(int tid, long pc, String symbol) {
}
