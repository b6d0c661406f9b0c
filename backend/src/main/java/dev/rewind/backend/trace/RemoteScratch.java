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
    private final int size;
    private final byte[] original;
    private int used;

    private RemoteScratch(int pid, long base, int size) {
        this.pid = pid;
        this.base = base;
        this.size = size;
        this.original = ProcessMemory.read(pid, base, size);
    }

    /** Scratch below the stack pointer of {@code thread}, in the memory of its process. */
    public static RemoteScratch below(TracedThread thread) {
        return below(thread, SIZE);
    }

    /** As {@link #below(TracedThread)}, with room for {@code size} bytes (a few KiB at most: the stack must hold them). */
    public static RemoteScratch below(TracedThread thread, int size) {
        long rsp = Ptrace.getRegs(thread.tid()).rsp;
        return new RemoteScratch(thread.process().pid(), (rsp - GAP - size) & ~0xfL, size);
    }

    /** Copies {@code data} into the buffer (16-byte aligned) and returns its address. */
    public long put(byte[] data) {
        int offset = (used + 15) & ~15;
        if (offset + data.length > size) {
            throw new IllegalStateException("scratch full");
        }
        ProcessMemory.write(pid, base + offset, data);
        used = offset + data.length;
        return base + offset;
    }

    /** Reserves {@code length} bytes for a call to fill in (not cleared) and returns their address. */
    public long reserve(int length) {
        int offset = (used + 15) & ~15;
        if (offset + length > size) {
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
