package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.UserRegs;

/**
 * One stop or end of the debuggee, as the run-control queue reports it.
 *
 * @param signal       the signal that stopped it, or the terminating signal for {@link StopReason#KILLED}
 * @param breakpointId the breakpoint hit, or 0
 * @param exitCode     the exit code, for {@link StopReason#EXITED}
 * @param registers    the stopped thread's registers at the stop (a gdb stub sends pc, sp and
 *                     frame pointer with the stop), or null for an end or a thread that vanished
 * @param crid         the checkpoint a checkpoint-on-hit breakpoint took, or null
 * @param forkedChild  for {@link StopReason#FORK}, the new process
 */
public record StopEvent(StopReason reason, int pid, int tid, int signal, UserRegs registers, int breakpointId,
        int exitCode, Crid crid, int forkedChild) {
    public StopEvent(StopReason reason, int pid, int tid, int signal, UserRegs registers, int breakpointId, int exitCode,
            Crid crid) {
        this(reason, pid, tid, signal, registers, breakpointId, exitCode, crid, 0);
    }

    public boolean ended() {
        return reason == StopReason.EXITED || reason == StopReason.KILLED;
    }

    /** Where the thread stopped; 0 for an end. */
    public long pc() {
        return registers == null ? 0 : registers.rip;
    }
}
