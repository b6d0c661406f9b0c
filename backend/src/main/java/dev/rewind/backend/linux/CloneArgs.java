package dev.rewind.backend.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code struct clone_args} for clone3(2) (include/uapi/linux/sched.h), laid out as bytes to be
 * written into a debuggee before an injected clone3. Fields keep the kernel's names and order.
 */
public final class CloneArgs {
    /** CLONE_ARGS_SIZE_VER2: up to and including {@code cgroup}. */
    public static final int SIZE = 88;

    // Clone flags (include/uapi/linux/sched.h).
    public static final long CLONE_VM = 0x100;
    public static final long CLONE_FS = 0x200;
    public static final long CLONE_FILES = 0x400;
    public static final long CLONE_SIGHAND = 0x800;
    public static final long CLONE_PTRACE = 0x2000;
    public static final long CLONE_PARENT = 0x8000;
    public static final long CLONE_THREAD = 0x10000;
    public static final long CLONE_SYSVSEM = 0x40000;
    public static final long CLONE_SETTLS = 0x80000;
    public static final long CLONE_CHILD_CLEARTID = 0x200000;

    public long flags;
    public long pidfd;
    public long child_tid;
    public long parent_tid;
    public long exit_signal;
    public long stack;
    public long stack_size;
    public long tls;
    /** Address of an array of pids, innermost namespace first; the kernel checks CAP_CHECKPOINT_RESTORE. */
    public long set_tid;
    public long set_tid_size;
    public long cgroup;

    public byte[] toBytes() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN).putLong(flags).putLong(pidfd).putLong(child_tid)
                .putLong(parent_tid).putLong(exit_signal).putLong(stack).putLong(stack_size).putLong(tls)
                .putLong(set_tid).putLong(set_tid_size).putLong(cgroup).array();
    }
}
