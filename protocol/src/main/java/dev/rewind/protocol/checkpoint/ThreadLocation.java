package dev.rewind.protocol.checkpoint;

/** @param symbol the ELF symbol around {@code pc} (e.g. {@code "main+0x1c"}), when known */
public record ThreadLocation(int tid, long pc, String symbol) {
}
