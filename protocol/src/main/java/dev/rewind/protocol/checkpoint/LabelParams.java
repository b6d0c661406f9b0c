package dev.rewind.protocol.checkpoint;

/** Gives checkpoint {@code crid} of a session the label {@code label} (empty: none). */
public record LabelParams(int sessionId, long crid, String label) {
}
