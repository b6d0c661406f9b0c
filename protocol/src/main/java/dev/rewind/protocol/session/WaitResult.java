package dev.rewind.protocol.session;

/**
 * @param timedOut true when no stop came within the timeout; {@code stop} is then absent
 * @param stop     the stop, exits included (reason {@code "exited"} or {@code "killed"})
 */
public record WaitResult(boolean timedOut, StoppedEvent stop) {
}
