package dev.rewind.protocol.memory;

/**
 * Give {@code address} or {@code symbol}.
 *
 * @param pid     a process of the session; 0 for the live process
 * @param address where to start
 * @param symbol  an ELF symbol (a variable or function) to start at
 * @param length  bytes to read, at most 1 MiB
 * @param crid    read the snapshot of this checkpoint instead of the live process; may be omitted
 */
public record ReadMemoryParams(int sessionId, int pid, Long address, String symbol, int length, Long crid) {
    /** The largest {@code length} one request reads. */
    public static final int MAX_LENGTH = 1 << 20;
}
