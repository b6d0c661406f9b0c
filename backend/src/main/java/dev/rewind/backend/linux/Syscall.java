package dev.rewind.backend.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * x86-64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl) and raw calls made by the
 * backend itself. The numbers also serve syscall injection into debuggees.
 */
public final class Syscall {
    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int CLOSE = 3;
    public static final int LSEEK = 8;
    public static final int MMAP = 9;
    public static final int MUNMAP = 11;
    public static final int RT_SIGACTION = 13;
    public static final int RT_SIGPROCMASK = 14;
    public static final int IOCTL = 16;
    public static final int DUP2 = 33;
    public static final int PIPE2 = 293;
    public static final int CLOSE_RANGE = 436;
    public static final int GETITIMER = 36;
    public static final int SETITIMER = 38;
    public static final int GETPID = 39;
    public static final int CLONE = 56;
    public static final int FORK = 57;
    public static final int KILL = 62;
    public static final int FCNTL = 72;
    public static final int CHDIR = 80;
    public static final int UMASK = 95;
    public static final int RT_SIGQUEUEINFO = 129;
    public static final int SIGALTSTACK = 131;
    public static final int SETPGID = 109;
    public static final int SETSID = 112;
    public static final int PRCTL = 157;
    public static final int ARCH_PRCTL = 158;
    public static final int GETTID = 186;
    public static final int SET_TID_ADDRESS = 218;
    public static final int TGKILL = 234;
    public static final int SET_ROBUST_LIST = 273;
    public static final int GET_ROBUST_LIST = 274;
    public static final int RT_TGSIGQUEUEINFO = 297;
    public static final int KCMP = 312;
    public static final int RSEQ = 334;
    public static final int OPENAT = 257;
    public static final int PIDFD_OPEN = 434;
    public static final int PIDFD_GETFD = 438;
    public static final int CLONE3 = 435;

    /** prctl options (include/uapi/linux/prctl.h). */
    public static final int PR_SET_CHILD_SUBREAPER = 36;
    public static final int PR_GET_TID_ADDRESS = 40;
    /** prctl: the calling thread's name (comm), 16 bytes with its NUL. */
    public static final int PR_GET_NAME = 16;
    public static final int PR_SET_MM = 35;
    /** arch_prctl code that maps the vDSO (and its vvar pages) at a given address (asm/prctl.h). */
    public static final int ARCH_MAP_VDSO_64 = 0x2003;
    public static final int PR_SET_MM_MAP = 14;

    /** Errnos the kernel uses inside a syscall that is to be restarted (include/linux/errno.h). */
    public static final int ERESTARTSYS = 512;
    public static final int ERESTARTNOINTR = 513;
    public static final int ERESTARTNOHAND = 514;
    public static final int ERESTART_RESTARTBLOCK = 516;

    private Syscall() {
    }

    /** syscall(2); returns -1 and leaves errno in {@link Native#getLastError()} on failure. */
    static long raw(long number, long... args) {
        long[] a = java.util.Arrays.copyOf(args, 6);
        return LibC.syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    /** get_robust_list(2) of any thread we may ptrace; 0 when the thread registered none. */
    public static long robustListHead(int tid) {
        try (Memory head = new Memory(8); Memory len = new Memory(8)) {
            if (raw(GET_ROBUST_LIST, tid, Pointer.nativeValue(head), Pointer.nativeValue(len)) < 0) {
                throw new LinuxException("get_robust_list(" + tid + ")", Native.getLastError());
            }
            return head.getLong(0);
        }
    }

    /**
     * Makes the calling process the reaper of its orphaned descendants, so that processes of a
     * debuggee tree whose parent died come to the backend instead of init.
     */
    public static void becomeChildSubreaper() {
        if (LibC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            throw new LinuxException("prctl(PR_SET_CHILD_SUBREAPER)", Native.getLastError());
        }
    }

    /** kcmp(2) type: do the two processes share one address space? */
    private static final int KCMP_VM = 1;

    /**
     * Whether two processes share their address space (a vfork or CLONE_VM child and its
     * parent): writing into one's memory then writes into the other's.
     */
    public static boolean shareMemory(int pid1, int pid2) {
        long r = raw(KCMP, pid1, pid2, KCMP_VM, 0, 0);
        if (r < 0) {
            throw new LinuxException("kcmp(" + pid1 + ", " + pid2 + ", KCMP_VM)", Native.getLastError());
        }
        return r == 0;
    }

    public static int getpid() {
        return LibC.getpid();
    }

    public static boolean isRoot() {
        return LibC.geteuid() == 0;
    }
}
