package dev.rewind.backend.linux;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;

/**
 * glibc bindings the engine needs, and nothing else: no logic lives here.
 * Callers read {@code errno} through {@link Native#getLastError()}, which JNA saves after
 * every call on the calling thread. Addresses in the debuggee are plain {@code long}s.
 *
 * <p>Thread-safe (stateless), but {@code ptrace} requests only work from the tracer thread.
 */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    /** ptrace(2). glibc's wrapper is variadic, but reads only integer-class arguments. */
    long ptrace(long request, int pid, long addr, long data);

    /** waitpid(2); {@code options} may hold {@code __WALL} and {@code __WNOTHREAD}. */
    int waitpid(int pid, IntByReference status, int options);

    /** syscall(2), for the calls glibc has no wrapper for (get_robust_list, pidfd_open, ...). */
    long syscall(long number, Object... args);

    long process_vm_readv(int pid, Pointer localIov, long localCount, Pointer remoteIov, long remoteCount, long flags);

    int kill(int pid, int sig);

    int pipe2(int[] fds, int flags);

    int open(String path, int flags);

    /** tee(2): copies pipe data without consuming it. */
    long tee(int fdIn, int fdOut, long length, int flags);

    int fcntl(int fd, int cmd, int arg);

    int close(int fd);

    long read(int fd, Pointer buffer, long count);

    long write(int fd, Pointer buffer, long count);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    int getpid();

    int geteuid();

    // posix_spawn(3) and its helpers; the opaque structs are allocated by the caller with room to spare.
    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attributes, StringArray argv,
            StringArray envp);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int flags, int mode);

    int posix_spawn_file_actions_addchdir_np(Pointer fileActions, String path);

    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int lowFd);

    int posix_spawnattr_init(Pointer attributes);

    int posix_spawnattr_destroy(Pointer attributes);

    int posix_spawnattr_setflags(Pointer attributes, short flags);

    int posix_spawnattr_setsigmask(Pointer attributes, Pointer sigset);

    int posix_spawnattr_setsigdefault(Pointer attributes, Pointer sigset);

    int posix_spawnattr_setpgroup(Pointer attributes, int pgroup);

    int sigemptyset(Pointer sigset);

    int sigfillset(Pointer sigset);
}
