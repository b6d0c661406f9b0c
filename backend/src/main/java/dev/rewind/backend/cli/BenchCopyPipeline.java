package dev.rewind.backend.cli;

import dev.rewind.backend.linux.ProcessMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The peers of the write-back in {@code rewind bench checkpoint}: the same snapshot's memory read
 * in 8 MiB chunks and written to a file, and nothing else (no encoding, no checksums, no fsync),
 * either through /proc/PID/mem as the write-back reads, or with process_vm_readv, the fastest read
 * here (which the write-back cannot use: see ProcessMemory.readShared). The write-back's "to the
 * page cache" time is judged against them, measured in the same run, since this VM's page-cache
 * and memory bandwidth move by 2x between runs. Stateless.
 */
final class BenchCopyPipeline {
    private static final int CHUNK = 8 << 20;

    private BenchCopyPipeline() {
    }

    /** Writes every dirty page of the machine back (sync(1)), outside what is measured. */
    static void sync() {
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How a peer reads a chunk of the snapshot: /proc/PID/mem or process_vm_readv. */
    enum Read {
        PROC_MEM, PROCESS_VM_READV
    }

    /** Copies every readable region of process {@code pid} (a stopped snapshot) to a temporary file; answers µs. */
    static long copyMicros(int pid, Read how) {
        Path out = null;
        try {
            out = Files.createTempFile("rewind-bench-copy-", ".bin");
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
            long start = System.nanoTime();
            try (FileChannel mem = FileChannel.open(Path.of("/proc", Integer.toString(pid), "mem"), StandardOpenOption.READ);
                    FileChannel file = FileChannel.open(out, StandardOpenOption.WRITE)) {
                for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps"))) {
                    String[] f = line.split("\\s+", 6);
                    String name = f.length > 5 ? f[5] : "";
                    if (f[1].charAt(0) != 'r' || name.equals("[vvar]") || name.equals("[vvar_vclock]") || name.equals("[vsyscall]")) {
                        continue; // what the kernel would refuse to hand over through /proc/PID/mem
                    }
                    String[] range = f[0].split("-");
                    long from = Long.parseUnsignedLong(range[0], 16);
                    long to = Long.parseUnsignedLong(range[1], 16);
                    for (long at = from; at < to; at += CHUNK) {
                        buf.clear().limit((int) Math.min(CHUNK, to - at));
                        if (how == Read.PROCESS_VM_READV) {
                            ProcessMemory.readInto(pid, at, buf);
                        } else {
                            while (buf.hasRemaining() && mem.read(buf, at + buf.position()) > 0) {
                                // pread until the chunk is full
                            }
                            buf.flip();
                        }
                        while (buf.hasRemaining()) {
                            file.write(buf);
                        }
                    }
                }
            }
            return (System.nanoTime() - start) / 1000;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temporary file
                }
            }
        }
    }
}
