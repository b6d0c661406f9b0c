package dev.rewind.backend.checkpoint;

/**
 * A hardware watchpoint: the debuggee stops right after an instruction that wrote (or, for
 * {@link Kind#ACCESS}, read or wrote) any byte of {@code [address, address + length)}.
 */
public record Watchpoint(int id, long address, int length, Kind kind) {
    /** x86 debug registers watch writes, or reads and writes; there is no read-only kind. */
    public enum Kind { WRITE, ACCESS }
}
