package dev.rewind.backend.trace;

import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Ptrace;

/**
 * A small buffer in a stopped thread's memory, for the arguments of injected calls
 * (clone_args, sigaltstack, siginfo...). It lies on the thread's stack well below the 128-byte
 * red zone the x86-64 ABI lets leaf functions use, so nothing live is overwritten; the original
 * bytes are put back on {@link #close()}. Not thread-safe; tracer thread only.
 */
public final class RemoteScratch implements AutoCloseable {
    /** Below the red zone and any frame a signal handler could be building. */
    private static final long GAP = 2048;
    public static final int SIZE = 1024;

    private final int pid;
    private final long base;
    private final byte[] original;
    private int used;

    private RemoteScratch(int pid, long base) {
        this.pid = pid;
        this.base = base;
        this.original = ProcessMemory.read(pid, base, SIZE);
    }

    /** Scratch below the stack pointer of {@code thread}, in the memory of its process. */
    public static RemoteScratch below(TracedThread thread) {
        long rsp = Ptrace.getRegs(thread.tid()).rsp;
        return new RemoteScratch(thread.process().pid(), (rsp - GAP - SIZE) & ~0xfL);
    }

    /** Copies {@code data} into the buffer (16-byte aligned) and returns its address. */
    public long put(byte[] data) {
        int offset = (used + 15) & ~15;
        if (offset + data.length > SIZE) {
            throw new IllegalStateException("scratch full");
        }
        ProcessMemory.write(pid, base + offset, data);
        used = offset + data.length;
        return base + offset;
    }

    /** Reserves {@code length} bytes for a call to fill in (not cleared) and returns their address. */
    public long reserve(int length) {
        int offset = (used + 15) & ~15;
        if (offset + length > SIZE) {
            throw new IllegalStateException("scratch full");
        }
        used = offset + length;
        return base + offset;
    }

    public byte[] read(long address, int length) {
        return ProcessMemory.read(pid, address, length);
    }

    /** The original bytes, to write into a process forked while the buffer was in use. */
    public void restoreInto(int otherPid) {
        ProcessMemory.write(otherPid, base, original);
    }

    @Override
    public void close() {
        ProcessMemory.write(pid, base, original);
    }
}
