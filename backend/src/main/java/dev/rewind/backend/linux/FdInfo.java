package dev.rewind.backend.linux;

import java.util.List;

/**
 * One open file descriptor, from /proc/PID/fd and /proc/PID/fdinfo.
 *
 * @param target the fd link: a path, or "pipe:[ino]", "socket:[ino]", "anon_inode:[eventfd]", ...
 * @param pos    the file offset of the open file description
 * @param flags  open flags (octal in fdinfo), including O_APPEND
 * @param locks  the file locks (fcntl, flock, OFD, leases) taken through this open file: fdinfo's
 *               "lock:" lines
 */
public record FdInfo(int fd, String target, long pos, int flags, int locks) {
    /** O_APPEND from asm-generic/fcntl.h. */
    public static final int O_APPEND = 02000;

    static FdInfo parse(int fd, String target, List<String> info) {
        long pos = 0;
        int flags = 0;
        int locks = 0;
        for (String l : info) {
            if (l.startsWith("pos:")) {
                pos = Long.parseLong(l.substring(4).trim());
            } else if (l.startsWith("flags:")) {
                flags = Integer.parseInt(l.substring(6).trim(), 8);
            } else if (l.startsWith("lock:")) {
                locks++;
            }
        }
        return new FdInfo(fd, target, pos, flags, locks);
    }

    /** A regular file or device by path, whose offset can be set back with lseek. */
    public boolean seekable() {
        return target.startsWith("/") && !target.startsWith("/dev/pts") && !target.startsWith("/dev/tty")
                && !target.equals("/dev/null");
    }

    public boolean isPipe() {
        return target.startsWith("pipe:");
    }

    /** Whether the descriptor was opened for reading (O_RDONLY or O_RDWR). */
    public boolean readable() {
        return (flags & 3) != 1;
    }

    public boolean append() {
        return (flags & O_APPEND) != 0;
    }
}
