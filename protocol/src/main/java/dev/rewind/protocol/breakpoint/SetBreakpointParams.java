package dev.rewind.protocol.breakpoint;

/**
 * Give {@code function} or {@code address}.
 *
 * @param function   an ELF symbol name, e.g. {@code "main"}
 * @param address    a run-time address in the live process
 * @param checkpoint take a checkpoint on every hit
 */
public record SetBreakpointParams(int sessionId, String function, Long address, boolean checkpoint) {
}
