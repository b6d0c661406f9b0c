package dev.rewind.backend.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;

/**
 * Reads and writes another process's memory. Reads use process_vm_readv (fastest here, about
 * 5.9 GB/s); writes go through /proc/PID/mem, because process_vm_writev honours page
 * protections and cannot patch read-only text (breakpoints) while /proc/PID/mem can, for a
 * process we may ptrace. Any thread may call these. Stateless.
 */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Reads exactly {@code length} bytes at {@code address}, or throws. */
    public static byte[] read(int pid, long address, int length) {
        if (length == 0) {
            return new byte[0];
        }
        try (Memory local = new Memory(length)) {
            readv(pid, address, local, length);
            return local.getByteArray(0, length);
        }
    }

    /** One process_vm_readv of exactly {@code length} bytes at {@code address} into {@code local}, or throws. */
    private static void readv(int pid, long address, Pointer local, int length) {
        try (Memory liov = new Memory(16); Memory riov = new Memory(16)) {
            liov.setLong(0, Pointer.nativeValue(local));
            liov.setLong(8, length);
            riov.setLong(0, address);
            riov.setLong(8, length);
            long n = LibC.process_vm_readv(pid, liov, 1, riov, 1, 0);
            if (n < 0) {
                throw new LinuxException("process_vm_readv(" + pid + ", 0x" + Long.toHexString(address) + ")",
                        Native.getLastError());
            }
            if (n != length) {
                throw new LinuxException("process_vm_readv(" + pid + ", 0x" + Long.toHexString(address) + ")",
                        LinuxException.EIO, "short read " + n + " of " + length);
            }
        }
    }

    /**
     * Reads {@code length} bytes at {@code address} through /proc/PID/mem, without taking the
     * pages over. process_vm_readv pins the pages it reads (FOLL_PIN), and since Linux 5.19 pinning
     * a copy-on-write page that two processes share makes the kernel copy it first (so the pin
     * cannot see a later write by the other process): read from a snapshot that way, every page
     * it shares with the live process would be duplicated. /proc/PID/mem reads with FOLL_FORCE
     * and no pin, and leaves them shared. Slower (about 3.4 against 5.8 GB/s here), so for reads
     * of snapshots.
     */
    public static byte[] readShared(int pid, long address, int length) {
        try (Memory local = new Memory(Math.max(1, length))) {
            readSharedInto(pid, address, local, length);
            return local.getByteArray(0, length);
        }
    }

    /**
     * Reads {@code into.limit()} bytes at {@code address} into the direct buffer {@code into} with
     * process_vm_readv: the fastest way here, but it pins the pages (see {@link #readShared}), so
     * from a snapshot whose pages the live process still shares it copies each of them first.
     */
    public static void readInto(int pid, long address, java.nio.ByteBuffer into) {
        readv(pid, address, Native.getDirectBufferPointer(into), into.limit());
    }

    /**
     * As {@link #readShared} into {@code into} (a direct buffer, from 0 to its limit), with no
     * copy on our side: the kernel writes straight into the buffer.
     */
    public static void readSharedInto(int pid, long address, java.nio.ByteBuffer into) {
        readSharedInto(pid, address, Native.getDirectBufferPointer(into), into.limit());
    }

    private static void readSharedInto(int pid, long address, Pointer into, int length) {
        int fd = openMem(pid, O_RDONLY);
        try {
            long done = 0;
            while (done < length) {
                long n = LibC.pread(fd, into.share(done), length - done, address + done);
                if (n <= 0) {
                    throw new LinuxException("reading " + length + " bytes at 0x" + Long.toHexString(address)
                            + " of process " + pid, n < 0 ? Native.getLastError() : LinuxException.EIO,
                            "read " + done + " of " + length);
                }
                done += n;
            }
        } finally {
            LibC.close(fd);
        }
    }

    public static long readLong(int pid, long address) {
        byte[] b = read(pid, address, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    /**
     * Copies {@code length} bytes at {@code address} from one process to the same address in
     * another, through /proc/PID/mem on both sides (which reads and writes pages whatever their
     * protection). Chunks that are all zero are skipped when {@code skipZeros}: a fresh
     * anonymous mapping already reads as zeros, and writing them would only allocate pages.
     * Pages that cannot be read or written (a file mapping that runs past the end of its file:
     * the kernel answers EIO there, as the program would get SIGBUS) are left out.
     *
     * @return bytes written
     */
    public static long copy(int fromPid, int toPid, long address, long length, boolean skipZeros) {
        final int chunk = 1 << 20;
        byte[] buf = new byte[chunk];
        long written = 0;
        try (RandomAccessFile from = new RandomAccessFile("/proc/" + fromPid + "/mem", "r");
                RandomAccessFile to = new RandomAccessFile("/proc/" + toPid + "/mem", "rw")) {
            for (long done = 0; done < length; done += chunk) {
                int n = (int) Math.min(chunk, length - done);
                try {
                    from.seek(address + done);
                    from.readFully(buf, 0, n);
                    written += writeRuns(to, address + done, buf, n, skipZeros);
                } catch (IOException e) {
                    written += copyPageByPage(from, to, address + done, n, skipZeros, buf);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying memory at 0x" + Long.toHexString(address) + " from " + fromPid
                    + " to " + toPid + ": " + e.getMessage(), e);
        }
        return written;
    }

    /** One write per run of pages that must be written: a syscall per page costs more than the copy. */
    private static long writeRuns(RandomAccessFile to, long at, byte[] buf, int n, boolean skipZeros) throws IOException {
        long written = 0;
        int page = 0;
        while (page < n) {
            while (page < n && skipZeros && isZero(buf, page, Math.min(4096, n - page))) {
                page += 4096;
            }
            int runStart = page;
            while (page < n && !(skipZeros && isZero(buf, page, Math.min(4096, n - page)))) {
                page += 4096;
            }
            int runEnd = Math.min(page, n);
            if (runEnd > runStart) {
                to.seek(at + runStart);
                to.write(buf, runStart, runEnd - runStart);
                written += runEnd - runStart;
            }
        }
        return written;
    }

    private static long copyPageByPage(RandomAccessFile from, RandomAccessFile to, long at, int n, boolean skipZeros,
            byte[] buf) {
        long written = 0;
        for (int off = 0; off < n; off += 4096) {
            int len = Math.min(4096, n - off);
            try {
                from.seek(at + off);
                from.readFully(buf, 0, len);
                written += writeRuns(to, at + off, buf, len, skipZeros);
            } catch (IOException unreachable) {
                // past the end of the mapped file: nothing the program could read or write either
            }
        }
        return written;
    }

    private static final byte[] ZERO_PAGE = new byte[4096];

    private static boolean isZero(byte[] b, int from, int len) {
        return java.util.Arrays.mismatch(b, from, from + len, ZERO_PAGE, 0, len) < 0; // vectorized by the JIT
    }

    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 02000000;

    /**
     * Writes {@code data} at {@code address}, even into read-only mappings. Plain open/pwrite:
     * a checkpoint writes here while the debuggee is frozen, and a RandomAccessFile costs tens
     * of microseconds more per call until the JIT has compiled it.
     */
    public static void write(int pid, long address, byte[] data) {
        if (data.length == 0) {
            return;
        }
        int fd = openMem(pid, O_RDWR);
        try (Memory local = new Memory(data.length)) {
            local.write(0, data, 0, data.length);
            long n = LibC.pwrite(fd, local, data.length, address);
            if (n != data.length) {
                throw new LinuxException("writing " + data.length + " bytes at 0x" + Long.toHexString(address)
                        + " in process " + pid, n < 0 ? Native.getLastError() : LinuxException.EIO);
            }
        } finally {
            LibC.close(fd);
        }
    }

    private static int openMem(int pid, int access) {
        String path = "/proc/" + pid + "/mem";
        int fd = LibC.open(path, access | O_CLOEXEC);
        if (fd < 0) {
            throw new LinuxException("opening " + path, Native.getLastError());
        }
        return fd;
    }
}
