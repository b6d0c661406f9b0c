package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.RseqConfig;
import dev.rewind.backend.linux.UserRegs;
import java.util.List;

/**
 * Everything about one thread that a fork does not carry into the restored process, captured
 * while the tree was frozen.
 *
 * @param regs           general registers, already normalized for syscall restart (orig_rax = -1)
 * @param xstate         the XSAVE area (x87/SSE/AVX...)
 * @param sigMask        blocked signals
 * @param altStack       stack_t bytes (ss_sp, ss_flags, ss_size)
 * @param rseq           rseq registration, or null
 * @param robustList     robust futex list head, or 0
 * @param clearChildTid  the address the kernel clears at thread exit (glibc's pthread tid field)
 * @param pendingSignals siginfo of each signal queued to this thread only
 */
public record SavedThread(int tid, String comm, byte[] regs, byte[] xstate, long sigMask, byte[] altStack,
        RseqConfig rseq, long robustList, long clearChildTid, List<byte[]> pendingSignals) {
    public UserRegs registers() {
        return UserRegs.fromBytes(regs);
    }
}
