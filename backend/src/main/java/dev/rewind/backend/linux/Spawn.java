package dev.rewind.backend.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import java.util.List;
import java.util.Map;

/**
 * posix_spawn(3) of a new process, from the calling thread. The tracer thread uses it instead
 * of ProcessBuilder, so that the child belongs to the tracer thread (its {@code waitpid} with
 * {@code __WNOTHREAD} sees it) and not to the JVM's process reaper. Stateless.
 */
public final class Spawn {
    // posix_spawn flags (spawn.h).
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    // Sizes of glibc's opaque types, with room to spare.
    private static final int FILE_ACTIONS_SIZE = 256;
    private static final int ATTR_SIZE = 1024;
    private static final int SIGSET_SIZE = 128;

    /** open(2) flags (asm-generic/fcntl.h). */
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_CLOEXEC = 02000000;

    /** A file the child gets on {@code fd}, opened by path in the child. */
    public record OpenFile(int fd, String path, int flags) {
    }

    /**
     * What to start.
     *
     * @param dups  child fd → backend fd to duplicate onto it (e.g. a pipe end)
     * @param opens files opened in the child
     */
    public record Request(String path, List<String> argv, List<String> env, String cwd, Map<Integer, Integer> dups,
            List<OpenFile> opens) {
    }

    private Spawn() {
    }

    /**
     * Starts the process in its own process group, with default signal dispositions and an
     * empty signal mask (the JVM's threads block signals the debuggee must not inherit), and with
     * every backend descriptor above 2 closed.
     */
    public static int spawn(Request request) {
        try (Memory actions = new Memory(FILE_ACTIONS_SIZE); Memory attr = new Memory(ATTR_SIZE);
                Memory empty = new Memory(SIGSET_SIZE); Memory all = new Memory(SIGSET_SIZE)) {
            check("posix_spawn_file_actions_init", LibC.posix_spawn_file_actions_init(actions));
            check("posix_spawnattr_init", LibC.posix_spawnattr_init(attr));
            try {
                for (Map.Entry<Integer, Integer> d : request.dups().entrySet()) {
                    check("posix_spawn_file_actions_adddup2",
                            LibC.posix_spawn_file_actions_adddup2(actions, d.getValue(), d.getKey()));
                }
                for (OpenFile o : request.opens()) {
                    check("posix_spawn_file_actions_addopen",
                            LibC.posix_spawn_file_actions_addopen(actions, o.fd(), o.path(), o.flags(), 0644));
                }
                check("posix_spawn_file_actions_addclosefrom_np", LibC.posix_spawn_file_actions_addclosefrom_np(actions, 3));
                if (request.cwd() != null) {
                    check("posix_spawn_file_actions_addchdir_np",
                            LibC.posix_spawn_file_actions_addchdir_np(actions, request.cwd()));
                }
                LibC.sigemptyset(empty);
                LibC.sigfillset(all);
                check("posix_spawnattr_setsigmask", LibC.posix_spawnattr_setsigmask(attr, empty));
                check("posix_spawnattr_setsigdefault", LibC.posix_spawnattr_setsigdefault(attr, all));
                check("posix_spawnattr_setpgroup", LibC.posix_spawnattr_setpgroup(attr, 0));
                check("posix_spawnattr_setflags", LibC.posix_spawnattr_setflags(attr,
                        (short) (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));
                IntByReference pid = new IntByReference();
                int r = LibC.posix_spawn(pid, request.path(), actions, attr,
                        new StringArray(request.argv().toArray(new String[0])),
                        new StringArray(request.env().toArray(new String[0])));
                if (r != 0) {
                    throw new LinuxException("posix_spawn(" + request.path() + ")", r);
                }
                return pid.getValue();
            } finally {
                LibC.posix_spawn_file_actions_destroy(actions);
                LibC.posix_spawnattr_destroy(attr);
            }
        }
    }

    /** A pipe whose both ends are close-on-exec in the backend: {read, write}. */
    public static int[] pipe() {
        int[] fds = new int[2];
        if (LibC.pipe2(fds, O_CLOEXEC) != 0) {
            throw new LinuxException("pipe2", Native.getLastError());
        }
        return fds;
    }

    public static void close(int fd) {
        LibC.close(fd);
    }

    /** read(2) into {@code buffer}; 0 at end of file. */
    public static int read(int fd, byte[] buffer) {
        try (Memory m = new Memory(buffer.length)) {
            while (true) {
                long n = LibC.read(fd, m, buffer.length);
                if (n >= 0) {
                    m.read(0, buffer, 0, (int) n);
                    return (int) n;
                }
                int errno = Native.getLastError();
                if (errno != LinuxException.EINTR) {
                    throw new LinuxException("read(" + fd + ")", errno);
                }
            }
        }
    }

    /** write(2) of the whole buffer. */
    public static void writeFully(int fd, byte[] data) {
        try (Memory m = new Memory(Math.max(1, data.length))) {
            m.write(0, data, 0, data.length);
            long done = 0;
            while (done < data.length) {
                long n = LibC.write(fd, m.share(done), data.length - done);
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno == LinuxException.EINTR) {
                        continue;
                    }
                    throw new LinuxException("write(" + fd + ")", errno);
                }
                done += n;
            }
        }
    }

    private static void check(String call, int r) {
        if (r != 0) {
            throw new LinuxException(call, r);
        }
    }
}
