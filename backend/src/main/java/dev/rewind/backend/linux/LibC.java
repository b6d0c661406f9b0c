package dev.rewind.backend.linux;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;

/**
 * glibc bindings the engine needs, and nothing else: no logic lives here.
 * Callers read {@code errno} through {@link Native#getLastError()}, which JNA saves after
 * every call on the calling thread. Addresses in the debuggee are plain {@code long}s.
 *
 * <p>Direct mapping ({@link Native#register}), not a {@code Library} interface: an interface call
 * goes through a reflective proxy that costs 20–40 µs until the JIT has compiled it, and a
 * checkpoint makes a few dozen such calls while the debuggee is stopped — most of its downtime.
 * A direct call costs about a microsecond even when interpreted.
 *
 * <p>Thread-safe (stateless), but {@code ptrace} requests only work from the tracer thread.
 */
final class LibC {
    static {
        Native.register("c");
    }

    private LibC() {
    }

    /** ptrace(2). glibc's wrapper is variadic, but reads only integer-class arguments. */
    static native long ptrace(long request, int pid, long addr, long data);

    /** waitpid(2); {@code options} may hold {@code __WALL} and {@code __WNOTHREAD}. */
    static native int waitpid(int pid, IntByReference status, int options);

    /**
     * syscall(2), for the calls glibc has no wrapper for (get_robust_list, pidfd_open, ...). The C
     * function is variadic; on x86-64 a fixed six-argument call passes the same registers, and
     * glibc's assembly reads all six whatever the call uses.
     */
    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    static native long process_vm_readv(int pid, Pointer localIov, long localCount, Pointer remoteIov, long remoteCount, long flags);

    static native int kill(int pid, int sig);

    static native int pipe2(int[] fds, int flags);

    static native int open(String path, int flags);

    static native long readlink(String path, Pointer buffer, long size);

    /** tee(2): copies pipe data without consuming it. */
    static native long tee(int fdIn, int fdOut, long length, int flags);

    static native int fcntl(int fd, int cmd, int arg);

    /** ioctl(2) with a pointer argument. */
    static native int ioctl(int fd, long request, Pointer arg);

    static native int close(int fd);

    static native long read(int fd, Pointer buffer, long count);

    static native long write(int fd, Pointer buffer, long count);

    static native long pwrite(int fd, Pointer buffer, long count, long offset);

    static native long pread(int fd, Pointer buffer, long count, long offset);

    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    static native int getpid();

    /** unshare(2); with CLONE_NEWPID it changes the namespace of the calling thread's future children only. */
    static native int unshare(int flags);

    /** setns(2) on a namespace file descriptor (/proc/.../ns/pid). */
    static native int setns(int fd, int nstype);

    static native int geteuid();

    // posix_spawn(3) and its helpers; the opaque structs are allocated by the caller with room to spare.
    static native int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attributes, StringArray argv,
            StringArray envp);

    static native int posix_spawn_file_actions_init(Pointer fileActions);

    static native int posix_spawn_file_actions_destroy(Pointer fileActions);

    static native int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    static native int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int flags, int mode);

    static native int posix_spawn_file_actions_addchdir_np(Pointer fileActions, String path);

    static native int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int lowFd);

    static native int posix_spawnattr_init(Pointer attributes);

    static native int posix_spawnattr_destroy(Pointer attributes);

    static native int posix_spawnattr_setflags(Pointer attributes, short flags);

    static native int posix_spawnattr_setsigmask(Pointer attributes, Pointer sigset);

    static native int posix_spawnattr_setsigdefault(Pointer attributes, Pointer sigset);

    static native int posix_spawnattr_setpgroup(Pointer attributes, int pgroup);

    static native int sigemptyset(Pointer sigset);

    static native int sigfillset(Pointer sigset);
}
