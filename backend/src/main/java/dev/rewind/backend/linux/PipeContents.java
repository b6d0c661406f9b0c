package dev.rewind.backend.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * Reads the bytes buffered in another process's pipe without taking them, and puts a pipe's
 * contents back. Both go through /proc/PID/fd/N, which opens the very same pipe with a file
 * description of our own, so O_NONBLOCK here does not change the debuggee's descriptor.
 * Any thread may call these. Stateless.
 */
public final class PipeContents {
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int SPLICE_F_NONBLOCK = 2;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int F_GETPIPE_SZ = 1032;
    private static final long FIONREAD = 0x541B;

    private PipeContents() {
    }

    /** The bytes buffered in the pipe that {@code fd} of {@code pid} reads from; left in place. */
    public static byte[] peek(int pid, int fd) {
        int in = openProc(pid, fd, O_RDONLY);
        int[] tmp = new int[2];
        try {
            if (buffered(in) == 0) {
                return new byte[0]; // the usual case, inside a checkpoint's freeze: no pipe of ours to make
            }
            if (LibC.pipe2(tmp, O_NONBLOCK | O_CLOEXEC) != 0) {
                throw new LinuxException("pipe2", Native.getLastError());
            }
            // Our pipe must hold all the source may hold.
            int size = LibC.fcntl(in, F_GETPIPE_SZ, 0);
            if (size > 0) {
                LibC.fcntl(tmp[1], F_SETPIPE_SZ, size);
            }
            long n = LibC.tee(in, tmp[1], Integer.MAX_VALUE, SPLICE_F_NONBLOCK);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == LinuxException.EAGAIN) {
                    return new byte[0]; // empty
                }
                throw new LinuxException("tee from pipe fd " + fd + " of " + pid, errno);
            }
            byte[] out = new byte[(int) n];
            int done = 0;
            try (Memory m = new Memory(Math.max(1, n))) {
                while (done < n) {
                    long r = LibC.read(tmp[0], m.share(done), n - done);
                    if (r <= 0) {
                        break;
                    }
                    done += (int) r;
                }
                m.read(0, out, 0, done);
            }
            return out;
        } finally {
            LibC.close(in);
            if (tmp[0] > 0) {
                LibC.close(tmp[0]);
                LibC.close(tmp[1]);
            }
        }
    }

    /** Empties the pipe that {@code fd} of {@code pid} reads from and fills it with {@code content}. */
    public static void refill(int pid, int fd, byte[] content) {
        int in = openProc(pid, fd, O_RDONLY);
        try {
            try (Memory m = new Memory(65536)) {
                while (LibC.read(in, m, 65536) > 0) {
                    // discard what came after the checkpoint
                }
            }
            if (content.length == 0) {
                return;
            }
            int out = openProc(pid, fd, O_WRONLY);
            try (Memory m = new Memory(content.length)) {
                m.write(0, content, 0, content.length);
                long done = 0;
                while (done < content.length) {
                    long w = LibC.write(out, m.share(done), content.length - done);
                    if (w < 0) {
                        throw new LinuxException("refilling pipe fd " + fd + " of " + pid, Native.getLastError());
                    }
                    done += w;
                }
            } finally {
                LibC.close(out);
            }
        } finally {
            LibC.close(in);
        }
    }

    /** Bytes waiting in the pipe {@code fd} reads (FIONREAD), or -1 when the kernel will not say. */
    private static int buffered(int fd) {
        try (Memory n = new Memory(4)) {
            return LibC.ioctl(fd, FIONREAD, n) == 0 ? n.getInt(0) : -1;
        }
    }

    private static int openProc(int pid, int fd, int mode) {
        String path = "/proc/" + pid + "/fd/" + fd;
        int r = LibC.open(path, mode | O_NONBLOCK | O_CLOEXEC);
        if (r < 0) {
            throw new LinuxException("open " + path, Native.getLastError());
        }
        return r;
    }
}
