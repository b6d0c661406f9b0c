package dev.rewind.backend.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;

/**
 * ptrace(2) requests as typed Java calls. Every request must come from the thread that
 * attached (the kernel checks the tracer task, not the process), so only the tracer thread
 * calls these. Stateless.
 */
public final class Ptrace {
    // Requests: include/uapi/linux/ptrace.h and arch/x86/include/uapi/asm/ptrace-abi.h.
    static final int PTRACE_PEEKUSER = 3;
    static final int PTRACE_POKEUSER = 6;
    static final int PTRACE_CONT = 7;
    static final int PTRACE_KILL = 8;
    static final int PTRACE_SINGLESTEP = 9;
    static final int PTRACE_GETREGS = 12;
    static final int PTRACE_SETREGS = 13;
    static final int PTRACE_DETACH = 17;
    static final int PTRACE_SYSCALL = 24;
    static final int PTRACE_SETOPTIONS = 0x4200;
    static final int PTRACE_GETEVENTMSG = 0x4201;
    static final int PTRACE_GETSIGINFO = 0x4202;
    static final int PTRACE_GETREGSET = 0x4204;
    static final int PTRACE_SETREGSET = 0x4205;
    static final int PTRACE_SEIZE = 0x4206;
    static final int PTRACE_INTERRUPT = 0x4207;
    static final int PTRACE_LISTEN = 0x4208;
    static final int PTRACE_PEEKSIGINFO = 0x4209;
    static final int PTRACE_GETSIGMASK = 0x420a;
    static final int PTRACE_SETSIGMASK = 0x420b;
    static final int PTRACE_SECCOMP_GET_FILTER = 0x420c;
    static final int PTRACE_GET_RSEQ_CONFIGURATION = 0x420f;

    // Options for SEIZE/SETOPTIONS.
    public static final int O_TRACESYSGOOD = 1;
    public static final int O_TRACEFORK = 1 << 1;
    public static final int O_TRACEVFORK = 1 << 2;
    public static final int O_TRACECLONE = 1 << 3;
    public static final int O_TRACEEXEC = 1 << 4;
    public static final int O_TRACEVFORKDONE = 1 << 5;
    public static final int O_TRACEEXIT = 1 << 6;
    /** The kernel SIGKILLs the tracee when the tracer exits: snapshots must never outlive us. */
    public static final int O_EXITKILL = 1 << 20;

    // Events, reported in bits 16..23 of a wait status.
    public static final int EVENT_FORK = 1;
    public static final int EVENT_VFORK = 2;
    public static final int EVENT_CLONE = 3;
    public static final int EVENT_EXEC = 4;
    public static final int EVENT_VFORK_DONE = 5;
    public static final int EVENT_EXIT = 6;
    /** Group-stop or PTRACE_INTERRUPT stop of a seized tracee. */
    public static final int EVENT_STOP = 128;

    /** Regset notes: include/uapi/linux/elf.h. */
    static final int NT_PRSTATUS = 1;
    static final int NT_X86_XSTATE = 0x202;
    /** Room for any XSAVE area this CPU uses (AVX-512 needs about 2.7 KiB; AMX 11 KiB). */
    private static final int XSTATE_MAX = 16384;

    /** offsetof(struct user, u_debugreg) on x86-64: where PEEKUSER/POKEUSER reach DR0..DR7. */
    private static final long DEBUG_REGISTERS_OFFSET = 848;

    static final int PEEKSIGINFO_SHARED = 1;
    /** sizeof(siginfo_t). */
    public static final int SIGINFO_SIZE = 128;

    private Ptrace() {
    }

    private static long call(String name, long request, int tid, long addr, long data) {
        long r = LibC.ptrace(request, tid, addr, data);
        if (r == -1) {
            throw new LinuxException(name + "(" + tid + ")", Native.getLastError());
        }
        return r;
    }

    public static void seize(int tid, int options) {
        call("PTRACE_SEIZE", PTRACE_SEIZE, tid, 0, options);
    }

    public static void setOptions(int tid, int options) {
        call("PTRACE_SETOPTIONS", PTRACE_SETOPTIONS, tid, 0, options);
    }

    public static void interrupt(int tid) {
        call("PTRACE_INTERRUPT", PTRACE_INTERRUPT, tid, 0, 0);
    }

    public static void cont(int tid, int signal) {
        call("PTRACE_CONT", PTRACE_CONT, tid, 0, signal);
    }

    /** Keeps a group-stopped seized tracee stopped, but lets SIGCONT and events through. */
    public static void listen(int tid) {
        call("PTRACE_LISTEN", PTRACE_LISTEN, tid, 0, 0);
    }

    public static void syscall(int tid, int signal) {
        call("PTRACE_SYSCALL", PTRACE_SYSCALL, tid, 0, signal);
    }

    public static void singleStep(int tid, int signal) {
        call("PTRACE_SINGLESTEP", PTRACE_SINGLESTEP, tid, 0, signal);
    }

    public static void detach(int tid, int signal) {
        call("PTRACE_DETACH", PTRACE_DETACH, tid, 0, signal);
    }

    public static long eventMessage(int tid) {
        try (Memory m = new Memory(8)) {
            call("PTRACE_GETEVENTMSG", PTRACE_GETEVENTMSG, tid, 0, Pointer.nativeValue(m));
            return m.getLong(0);
        }
    }

    /**
     * Debug register {@code n} (0–3 addresses, 6 status, 7 control) of a stopped thread. The
     * kernel keeps them per thread, as perf breakpoint events, and a new thread or process starts
     * without any.
     */
    public static long getDebugRegister(int tid, int n) {
        // glibc's wrapper returns the peeked word; no debug register can hold -1, so -1 is an error.
        return call("PTRACE_PEEKUSER(DR" + n + ")", PTRACE_PEEKUSER, tid, DEBUG_REGISTERS_OFFSET + 8L * n, 0);
    }

    public static void setDebugRegister(int tid, int n, long value) {
        call("PTRACE_POKEUSER(DR" + n + ")", PTRACE_POKEUSER, tid, DEBUG_REGISTERS_OFFSET + 8L * n, value);
    }

    public static UserRegs getRegs(int tid) {
        try (Memory m = new Memory(UserRegs.SIZE)) {
            call("PTRACE_GETREGS", PTRACE_GETREGS, tid, 0, Pointer.nativeValue(m));
            return UserRegs.fromBytes(m.getByteArray(0, UserRegs.SIZE));
        }
    }

    public static void setRegs(int tid, UserRegs regs) {
        byte[] raw = regs.toBytes();
        try (Memory m = new Memory(raw.length)) {
            m.write(0, raw, 0, raw.length);
            call("PTRACE_SETREGS", PTRACE_SETREGS, tid, 0, Pointer.nativeValue(m));
        }
    }

    /** The thread's whole XSAVE area (x87, SSE, AVX and beyond), as the kernel lays it out. */
    public static byte[] getXState(int tid) {
        try (Memory buf = new Memory(XSTATE_MAX); Memory iov = iovec(buf, XSTATE_MAX)) {
            call("PTRACE_GETREGSET(NT_X86_XSTATE)", PTRACE_GETREGSET, tid, NT_X86_XSTATE, Pointer.nativeValue(iov));
            // The kernel shrinks iov_len to the size it filled.
            long len = iov.getLong(8);
            return buf.getByteArray(0, (int) len);
        }
    }

    public static void setXState(int tid, byte[] xstate) {
        try (Memory buf = new Memory(xstate.length); Memory iov = iovec(buf, xstate.length)) {
            buf.write(0, xstate, 0, xstate.length);
            call("PTRACE_SETREGSET(NT_X86_XSTATE)", PTRACE_SETREGSET, tid, NT_X86_XSTATE, Pointer.nativeValue(iov));
        }
    }

    /**
     * The seccomp filters of a stopped thread, most recently installed first, each as its raw
     * classic-BPF program (8 bytes per instruction). The kernel allows this only to a tracer with
     * CAP_SYS_ADMIN; without it this throws with EACCES.
     */
    public static List<byte[]> seccompFilters(int tid) {
        List<byte[]> filters = new ArrayList<>();
        for (int index = 0; ; index++) {
            long n = LibC.ptrace(PTRACE_SECCOMP_GET_FILTER, tid, index, 0);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == LinuxException.ENOENT) {
                    return filters; // no filter at this index: that was all of them
                }
                throw new LinuxException("PTRACE_SECCOMP_GET_FILTER(" + tid + ", " + index + ")", errno);
            }
            try (Memory m = new Memory(n * 8)) {
                call("PTRACE_SECCOMP_GET_FILTER", PTRACE_SECCOMP_GET_FILTER, tid, index, Pointer.nativeValue(m));
                filters.add(m.getByteArray(0, (int) (n * 8)));
            }
        }
    }

    /** The blocked-signal mask, bit (n-1) for signal n. */
    public static long getSigMask(int tid) {
        try (Memory m = new Memory(8)) {
            call("PTRACE_GETSIGMASK", PTRACE_GETSIGMASK, tid, 8, Pointer.nativeValue(m));
            return m.getLong(0);
        }
    }

    public static void setSigMask(int tid, long mask) {
        try (Memory m = new Memory(8)) {
            m.setLong(0, mask);
            call("PTRACE_SETSIGMASK", PTRACE_SETSIGMASK, tid, 8, Pointer.nativeValue(m));
        }
    }

    /** The siginfo of the signal that caused the current signal-delivery-stop. */
    public static byte[] getSigInfo(int tid) {
        try (Memory m = new Memory(SIGINFO_SIZE)) {
            call("PTRACE_GETSIGINFO", PTRACE_GETSIGINFO, tid, 0, Pointer.nativeValue(m));
            return m.getByteArray(0, SIGINFO_SIZE);
        }
    }

    /**
     * Signals queued but not yet delivered, without dequeuing them. {@code shared} picks the
     * process-wide queue instead of the thread's own.
     */
    public static List<byte[]> peekSigInfo(int tid, boolean shared) {
        List<byte[]> all = new ArrayList<>();
        final int batch = 32;
        try (Memory args = new Memory(16); Memory out = new Memory((long) batch * SIGINFO_SIZE)) {
            while (true) {
                // struct ptrace_peeksiginfo_args { u64 off; u32 flags; s32 nr; }
                args.setLong(0, all.size());
                args.setInt(8, shared ? PEEKSIGINFO_SHARED : 0);
                args.setInt(12, batch);
                long n = call("PTRACE_PEEKSIGINFO", PTRACE_PEEKSIGINFO, tid, Pointer.nativeValue(args),
                        Pointer.nativeValue(out));
                for (int i = 0; i < n; i++) {
                    all.add(out.getByteArray((long) i * SIGINFO_SIZE, SIGINFO_SIZE));
                }
                if (n < batch) {
                    return all;
                }
            }
        }
    }

    /** The thread's rseq registration; {@code null} when the kernel does not support the request. */
    public static RseqConfig getRseqConfiguration(int tid) {
        try (Memory m = new Memory(24)) {
            m.clear();
            long r = LibC.ptrace(PTRACE_GET_RSEQ_CONFIGURATION, tid, 24, Pointer.nativeValue(m));
            if (r == -1) {
                int errno = Native.getLastError();
                if (errno == LinuxException.EINVAL || errno == LinuxException.EIO) {
                    return null;
                }
                throw new LinuxException("PTRACE_GET_RSEQ_CONFIGURATION(" + tid + ")", errno);
            }
            // struct ptrace_rseq_configuration { u64 rseq_abi_pointer; u32 rseq_abi_size; u32 signature; u32 flags; u32 pad; }
            return new RseqConfig(m.getLong(0), m.getInt(8), m.getInt(12));
        }
    }

    private static Memory iovec(Memory base, long length) {
        Memory iov = new Memory(16);
        iov.setLong(0, Pointer.nativeValue(base));
        iov.setLong(8, length);
        return iov;
    }
}
