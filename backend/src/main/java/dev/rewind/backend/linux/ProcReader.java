package dev.rewind.backend.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads /proc files, directories and links with plain open/read/getdents64/readlink into one
 * native buffer per thread. {@code Files.readString} and {@code Files.list} cost 50–100 µs per
 * /proc file until the JIT has compiled the NIO paths behind them, and a checkpoint reads several
 * /proc files while the debuggee is frozen; these calls cost a few microseconds each.
 * Thread-safe (the buffer is per thread).
 */
final class ProcReader {
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_CLOEXEC = 02000000;
    private static final long SYS_GETDENTS64 = 217;
    /** Offsets in struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name. */
    private static final int DIRENT_RECLEN = 16;
    private static final int DIRENT_NAME = 19;

    private static final ThreadLocal<Memory> BUFFER = ThreadLocal.withInitial(() -> new Memory(64 * 1024));

    private ProcReader() {
    }

    /** {@code length} bytes at {@code offset} of a /proc file that reads by position (pagemap). */
    static byte[] pread(String path, long offset, int length) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        try (Memory m = new Memory(Math.max(1, length))) {
            long done = 0;
            while (done < length) {
                long n = LibC.pread(fd, m.share(done), length - done, offset + done);
                if (n <= 0) {
                    throw new LinuxException("reading " + path, n < 0 ? Native.getLastError() : LinuxException.EIO);
                }
                done += n;
            }
            return m.getByteArray(0, length);
        } finally {
            LibC.close(fd);
        }
    }

    /** The whole file as text; a missing file (the process or thread is gone) is ENOENT/ESRCH. */
    static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    /**
     * The whole file. The kernel builds /proc files a page or so per read(2), so this reads
     * until end of file, growing the buffer as needed.
     */
    static byte[] bytes(String path) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        try {
            Memory buf = BUFFER.get();
            long used = 0;
            while (true) {
                if (used == buf.size()) {
                    Memory bigger = new Memory(buf.size() * 2);
                    bigger.write(0, buf.getByteArray(0, (int) used), 0, (int) used);
                    BUFFER.set(bigger);
                    buf = bigger;
                }
                long n = LibC.read(fd, buf.share(used), buf.size() - used);
                if (n == 0) {
                    return buf.getByteArray(0, (int) used);
                }
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno != LinuxException.EINTR) {
                        throw new LinuxException("reading " + path, errno);
                    }
                    continue;
                }
                used += n;
            }
        } finally {
            LibC.close(fd);
        }
    }

    /** The names in a directory, without "." and "..". */
    static List<String> names(String dir) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        try {
            Memory buf = BUFFER.get();
            List<String> out = new ArrayList<>();
            while (true) {
                long n = LibC.syscall(SYS_GETDENTS64, fd, Pointer.nativeValue(buf), buf.size(), 0, 0, 0);
                if (n == 0) {
                    return out;
                }
                if (n < 0) {
                    throw new LinuxException("listing " + dir, Native.getLastError());
                }
                for (int off = 0; off < n; off += buf.getShort(off + DIRENT_RECLEN) & 0xffff) {
                    String name = buf.getString(off + DIRENT_NAME, StandardCharsets.UTF_8.name());
                    if (!name.equals(".") && !name.equals("..")) {
                        out.add(name);
                    }
                }
            }
        } finally {
            LibC.close(fd);
        }
    }

    /** The target of a symbolic link (for /proc: "/path", "pipe:[ino]", "socket:[ino]", ...). */
    static String link(String path) {
        Memory buf = BUFFER.get();
        long n = LibC.readlink(path, buf, buf.size());
        if (n < 0) {
            throw new LinuxException("readlink " + path, Native.getLastError());
        }
        return new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8);
    }

    private static int open(String path, int flags) {
        int fd = LibC.open(path, flags);
        if (fd < 0) {
            throw new LinuxException("opening " + path, Native.getLastError());
        }
        return fd;
    }
}
