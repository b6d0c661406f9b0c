package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.RseqConfig;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.linux.UserRegs;
import dev.rewind.backend.trace.RemoteScratch;
import dev.rewind.backend.trace.SyscallBatch;
import dev.rewind.backend.trace.TracedThread;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures one frozen thread's state. Runs on the tracer thread, inside the freeze. Stateless.
 */
final class ThreadCapture {
    private static final int EINTR = 4;
    /** sizeof(stack_t) on x86-64. */
    static final int STACK_T_SIZE = 24;
    /** What the thread's batch writes for us, read back in one go: its clear_child_tid address, stack_t, name. */
    private static final int TID_ADDRESS_AT = 0;
    private static final int STACK_T_AT = 8;
    private static final int NAME_AT = STACK_T_AT + STACK_T_SIZE;
    private static final int NAME_SIZE = 16;
    private static final int RESULTS_SIZE = NAME_AT + NAME_SIZE;

    private ThreadCapture() {
    }

    /**
     * Starts the capture of a frozen thread: its registers, with its rseq critical section
     * aborted (that must come before the thread runs any batch: on the way back to user space
     * the kernel clears rseq_cs of a thread outside its critical section), and two calls added
     * to {@code batch}, which the thread itself runs, for what only it can tell: its
     * clear_child_tid address and its sigaltstack, and its name (cheaper there than a /proc read
     * inside the freeze). The rest is read by
     * {@link Capturing#complete} once the batch has run: the debuggee's fork does not wait for it.
     */
    static Capturing begin(TracedThread t, SyscallBatch batch) {
        int tid = t.tid();
        UserRegs regs = Ptrace.getRegs(tid);
        RseqConfig rseq = Ptrace.getRseqConfiguration(tid);
        normalizeSyscallRestart(regs);
        if (rseq != null && rseq.registered()) {
            abortRseqCriticalSection(t.process().pid(), rseq, regs);
        }
        RemoteScratch scratch = batch.scratch();
        long out = scratch.reserve(RESULTS_SIZE);
        int tidCall = batch.add(Syscall.PRCTL, Syscall.PR_GET_TID_ADDRESS, out + TID_ADDRESS_AT);
        int altCall = batch.add(Syscall.SIGALTSTACK, 0, out + STACK_T_AT);
        int nameCall = batch.add(Syscall.PRCTL, Syscall.PR_GET_NAME, out + NAME_AT);
        return new Capturing(t, scratch, regs.toBytes(), rseq, tidCall, altCall, nameCall, out);
    }

    /** A thread's capture, waiting for the results of its batch. */
    record Capturing(TracedThread thread, RemoteScratch scratch, byte[] regs, RseqConfig rseq, int tidCall,
            int altCall, int nameCall, long out) {
        /** Reads the rest, with the thread stopped again after its batch. */
        SavedThread complete(long[] results) {
            check("prctl(PR_GET_TID_ADDRESS)", results[tidCall]);
            check("sigaltstack", results[altCall]);
            check("prctl(PR_GET_NAME)", results[nameCall]);
            int tid = thread.tid();
            List<byte[]> pending = new ArrayList<>(Ptrace.peekSigInfo(tid, false));
            if (thread.deferredSignal() != 0) {
                pending.add(0, userSigInfo(thread.deferredSignal()));
            }
            ByteBuffer b = ByteBuffer.wrap(scratch.read(out, RESULTS_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
            byte[] stackT = java.util.Arrays.copyOfRange(b.array(), STACK_T_AT, STACK_T_AT + STACK_T_SIZE);
            return new SavedThread(thread.nsTid(), name(b.array()), regs, Ptrace.getXState(tid), Ptrace.getSigMask(tid),
                    stackT, rseq, robustList(tid), b.getLong(TID_ADDRESS_AT), pending);
        }

        /** The thread's name as prctl(PR_GET_NAME) wrote it: up to its NUL. */
        private static String name(byte[] results) {
            int end = NAME_AT;
            while (end < NAME_AT + NAME_SIZE && results[end] != 0) {
                end++;
            }
            return new String(results, NAME_AT, end - NAME_AT, java.nio.charset.StandardCharsets.UTF_8);
        }

        private void check(String name, long result) {
            if (result < 0 && result > -4096) {
                throw new LinuxException(name + " (injected into " + thread + ")", (int) -result);
            }
        }
    }

    private static long robustList(int tid) {
        try {
            return Syscall.robustListHead(tid);
        } catch (LinuxException e) {
            return 0;
        }
    }

    /**
     * A thread stopped inside an interrupted syscall carries the kernel's private "restart me"
     * errnos in rax. A restored thread is a new task with no restart state, so the saved
     * registers are rewritten to what the kernel would do on the way out: back up over the
     * syscall instruction to run it again, or, for calls whose restart needs kernel-held data
     * (nanosleep's restart block), return EINTR as if a signal had come.
     */
    static void normalizeSyscallRestart(UserRegs regs) {
        if (regs.orig_rax >= 0) {
            long err = -regs.rax;
            if (err == Syscall.ERESTARTSYS || err == Syscall.ERESTARTNOINTR || err == Syscall.ERESTARTNOHAND) {
                regs.rax = regs.orig_rax;
                regs.rip -= 2;
            } else if (err == Syscall.ERESTART_RESTARTBLOCK) {
                regs.rax = -EINTR;
            }
        }
        regs.orig_rax = -1;
    }

    /**
     * A thread stopped inside an rseq critical section must not resume in the middle of it in a
     * new process: move it to the abort handler, as the kernel does after preemption.
     */
    private static void abortRseqCriticalSection(int pid, RseqConfig rseq, UserRegs regs) {
        try {
            long cs = ProcessMemory.readLong(pid, rseq.abiPointer() + 8); // struct rseq.rseq_cs
            if (cs == 0) {
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(ProcessMemory.read(pid, cs, 32)).order(ByteOrder.LITTLE_ENDIAN);
            long start = b.getLong(8);
            long postCommitOffset = b.getLong(16);
            long abort = b.getLong(24);
            if (regs.rip >= start && regs.rip < start + postCommitOffset) {
                regs.rip = abort;
            }
        } catch (LinuxException e) {
            // no readable critical section descriptor: nothing to abort
        }
    }

    /** siginfo for a signal the kernel dequeued during the freeze: si_signo, si_errno 0, SI_USER. */
    static byte[] userSigInfo(int signal) {
        byte[] info = new byte[Ptrace.SIGINFO_SIZE];
        ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN).putInt(0, signal);
        return info;
    }
}
