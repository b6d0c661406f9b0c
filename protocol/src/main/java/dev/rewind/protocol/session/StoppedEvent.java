package dev.rewind.protocol.session;

/**
 * Why and where a session stopped: the params of {@code session/stopped}, and the answer of
 * {@code session/pause}, {@code session/step} and {@code session/wait}.
 *
 * @param reason       one of {@link StopReasons}
 * @param pid          the process that stopped
 * @param tid          the thread that reported the stop
 * @param pc           its program counter
 * @param function     the ELF symbol around {@code pc}, when known
 * @param breakpointId the breakpoint hit, or 0
 * @param crid         the checkpoint a checkpoint-on-hit breakpoint took at this stop, or null
 * @param exitCode     the exit status, for reason {@code "exited"}
 * @param signal       the signal that stopped the thread (reason {@code "signal"}) or killed the
 *                     process (reason {@code "killed"}); 0 otherwise
 */
public record StoppedEvent(int sessionId, String reason, int pid, int tid, long pc, String function,
        int breakpointId, Long crid, int exitCode, int signal) {
}
