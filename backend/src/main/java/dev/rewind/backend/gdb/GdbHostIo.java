package dev.rewind.backend.gdb;

import dev.rewind.backend.checkpoint.ProcessIdentity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * gdb's host I/O ({@code vFile:}), read-only: with it gdb reads the program, its libraries and
 * /proc files through the stub, as with gdbserver ({@code info proc mappings} works, and gdb
 * does not warn that it cannot open /proc files).
 *
 * <p>The backend may run with more rights than the debuggee (as root, to keep pids), and over
 * TCP any local user can send these packets. So a file is served only if the debuggee's owner
 * may read it by its mode bits (world-readable, or owner/group-readable for that uid/gid), and
 * nothing is ever written, unlinked or created. One instance per connection; not thread-safe.
 */
final class GdbHostIo implements AutoCloseable {
    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EIO = 5;
    private static final int EBADF = 9;
    private static final int EACCES = 13;
    private static final int EINVAL = 22;
    private static final int MAX_OPEN = 64;
    private static final int MAX_READ = 64 * 1024;
    /** gdb's struct fio_stat (remote protocol, "struct stat"): 64 bytes, big-endian. */
    private static final int FIO_STAT_SIZE = 64;

    private final Map<Integer, FileChannel> open = new HashMap<>();
    private int nextFd = 1;
    private int fsPid;

    /**
     * Answers one vFile packet; {@code reader} gives the debuggee's identity (null if there is
     * none), asked only when a file is opened.
     */
    byte[] handle(GdbRequest.HostIo r, Supplier<ProcessIdentity> reader) {
        try {
            return switch (r.operation()) {
                case "setfs" -> setfs(Hex.parseInt(r.args().get(0)));
                case "open" -> openFile(path(r.args().get(0)), Hex.parseInt(r.args().get(1)), reader.get());
                case "pread" -> pread(Hex.parseInt(r.args().get(0)), Hex.parseInt(r.args().get(1)),
                        Hex.parseLong(r.args().get(2)));
                case "close" -> close(Hex.parseInt(r.args().get(0)));
                case "fstat" -> fstat(Hex.parseInt(r.args().get(0)));
                case "readlink" -> readlink(path(r.args().get(0)), reader.get());
                // Writing, creating and unlinking files are refused: see the class comment.
                case "pwrite", "unlink" -> error(EPERM);
                default -> new byte[0];
            };
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return error(EINVAL);
        }
    }

    /** vFile:setfs:PID: later paths are in that process's filesystem view (its root), 0 for ours. */
    private byte[] setfs(int pid) {
        fsPid = pid;
        return text("F0");
    }

    private Path path(String hex) {
        String name = Hex.decodeText(hex);
        if (!name.startsWith("/")) {
            throw new IllegalArgumentException("relative path");
        }
        return fsPid == 0 ? Path.of(name) : Path.of("/proc/" + fsPid + "/root" + name);
    }

    private byte[] openFile(Path path, int flags, ProcessIdentity reader) {
        if ((flags & 3) != 0) { // FILEIO_O_WRONLY / O_RDWR
            return error(EPERM);
        }
        if (open.size() >= MAX_OPEN) {
            return error(EACCES);
        }
        try {
            if (!readable(path, reader)) {
                return error(EACCES);
            }
            FileChannel c = FileChannel.open(path, StandardOpenOption.READ);
            int fd = nextFd++;
            open.put(fd, c);
            return text("F" + Integer.toHexString(fd));
        } catch (IOException e) {
            return error(errno(e));
        }
    }

    private byte[] pread(int fd, int count, long offset) {
        FileChannel c = open.get(fd);
        if (c == null) {
            return error(EBADF);
        }
        try {
            // As much as gdb asks for (it sizes reads to its own packet buffer), within a bound.
            ByteBuffer b = ByteBuffer.allocate(Math.max(0, Math.min(count, MAX_READ)));
            int n = Math.max(0, c.read(b, offset));
            byte[] data = new byte[n];
            b.flip().get(data);
            return reply(n, data);
        } catch (IOException e) {
            return error(errno(e));
        }
    }

    private byte[] close(int fd) {
        FileChannel c = open.remove(fd);
        if (c == null) {
            return error(EBADF);
        }
        try {
            c.close();
        } catch (IOException e) {
            // nothing was written
        }
        return text("F0");
    }

    private byte[] fstat(int fd) {
        FileChannel c = open.get(fd);
        if (c == null) {
            return error(EBADF);
        }
        try {
            return reply(FIO_STAT_SIZE, fioStat(c.size()));
        } catch (IOException e) {
            return error(errno(e));
        }
    }

    /**
     * What gdb uses of the stat: the size (and a regular file's mode). /proc files report size 0
     * and are read to their end instead, as gdbserver's are.
     */
    private static byte[] fioStat(long size) {
        ByteBuffer b = ByteBuffer.allocate(FIO_STAT_SIZE); // big-endian, as the protocol wants
        b.putInt(0).putInt(0).putInt(0100444).putInt(1).putInt(0).putInt(0).putInt(0);
        b.putLong(size).putLong(4096).putLong((size + 511) / 512);
        int now = (int) (System.currentTimeMillis() / 1000);
        b.putInt(now).putInt(now).putInt(now);
        return b.array();
    }

    private byte[] readlink(Path path, ProcessIdentity reader) {
        try {
            if (!readable(path.getParent() == null ? path : path.getParent(), reader)) {
                return error(EACCES);
            }
            byte[] target = Files.readSymbolicLink(path).toString().getBytes(StandardCharsets.UTF_8);
            return reply(target.length, target);
        } catch (IOException | UnsupportedOperationException e) {
            return error(e instanceof IOException io ? errno(io) : EINVAL);
        }
    }

    /** Whether the debuggee's owner may read {@code path}, by its mode bits (root may read all). */
    static boolean readable(Path path, ProcessIdentity reader) throws IOException {
        if (reader == null) {
            return false;
        }
        if (reader.uid() == 0) {
            return true;
        }
        Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid", new LinkOption[0]);
        int mode = (Integer) a.get("mode");
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        if (uid == reader.uid()) {
            return (mode & 0400) != 0;
        }
        if (reader.gids().contains(gid)) {
            return (mode & 040) != 0;
        }
        return (mode & 04) != 0;
    }

    private static int errno(IOException e) {
        if (e instanceof NoSuchFileException) {
            return ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return EACCES;
        }
        return EIO;
    }

    private static byte[] reply(int result, byte[] data) {
        return PacketEncoder.withBinary("F" + Integer.toHexString(result) + ";", data);
    }

    private static byte[] error(int errno) {
        return text("F-1," + Integer.toHexString(errno));
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        for (FileChannel c : open.values()) {
            try {
                c.close();
            } catch (IOException e) {
                // read-only: nothing to lose
            }
        }
        open.clear();
    }
}
