package dev.rewind.backend.checkpoint;

/**
 * One stop or end of the debuggee, as the run-control queue reports it.
 *
 * @param signal       the signal that stopped it, or the terminating signal for {@link StopReason#KILLED}
 * @param breakpointId the breakpoint hit, or 0
 * @param exitCode     the exit code, for {@link StopReason#EXITED}
 * @param crid         the checkpoint a checkpoint-on-hit breakpoint took, or null
 */
public record StopEvent(StopReason reason, int pid, int tid, int signal, long pc, int breakpointId, int exitCode,
        Crid crid) {
    public boolean ended() {
        return reason == StopReason.EXITED || reason == StopReason.KILLED;
    }
}
