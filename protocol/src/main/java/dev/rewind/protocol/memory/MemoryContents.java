package dev.rewind.protocol.memory;

/** @param data the bytes, base64 (RFC 4648, with padding) */
public record MemoryContents(long address, int length, String data) {
}
