package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Syscall;
import java.util.Arrays;

/**
 * A page of our own code in a traced process that runs a list of system calls and then traps,
 * so that a stopped thread makes several calls for one round trip to the tracer instead of one
 * single-step per call (each costs the debuggee 30–100 µs of downtime: a stop, a wakeup of the
 * tracer, register reads and writes).
 *
 * <p>The page is mapped once per process, read+exec, at the first checkpoint, and stays: it is
 * one anonymous 4 KiB page in the process's maps, inherited by its forks, its snapshots and the
 * processes restored from them (which find it again by its contents). An exec drops it with the
 * rest of the old image. It runs only when the tracer points a stopped thread at it.
 *
 * <p>The table the stub reads is 8-word entries {nr, a0..a5, result}, ended by nr = -1; rbx
 * holds its address. Tracer thread only. Stateless.
 */
public final class CallStub {
    /*
     * loop: mov rax,[rbx]; cmp rax,-1; je done
     *       mov rdi,[rbx+8]; mov rsi,[rbx+16]; mov rdx,[rbx+24]
     *       mov r10,[rbx+32]; mov r8,[rbx+40]; mov r9,[rbx+48]
     *       syscall; mov [rbx+56],rax; add rbx,64; jmp loop
     * done: int3
     */
    private static final byte[] CODE = bytes(
            0x48, 0x8b, 0x03, 0x48, 0x83, 0xf8, 0xff, 0x74, 0x24,
            0x48, 0x8b, 0x7b, 0x08, 0x48, 0x8b, 0x73, 0x10, 0x48, 0x8b, 0x53, 0x18,
            0x4c, 0x8b, 0x53, 0x20, 0x4c, 0x8b, 0x43, 0x28, 0x4c, 0x8b, 0x4b, 0x30,
            0x0f, 0x05, 0x48, 0x89, 0x43, 0x38, 0x48, 0x83, 0xc3, 0x40, 0xeb, 0xd3,
            0xcc);
    /** Offset of the syscall instruction, for seccomp checks (filters may look at the ip). */
    public static final int SYSCALL_OFFSET = 33;
    /** Where rip is once the stub has run the whole table and trapped. */
    static final int END_OFFSET = CODE.length;
    static final int ENTRY_WORDS = 8;

    private static final int PAGE = 4096;
    private static final int PROT_READ = 1;
    private static final int PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 2;
    private static final int MAP_ANONYMOUS = 0x20;

    private CallStub() {
    }

    /** The stub's address in {@code p}, mapping it (one injected mmap) if the process has none. */
    public static long in(TracedThread thread) {
        TracedProcess p = thread.process();
        if (p.callStub() == 0) {
            long found = find(p.pid());
            p.useCallStub(found != 0 ? found : map(thread));
        }
        return p.callStub();
    }

    /** The stub's address if it is mapped in {@code p} already (an inherited copy), else 0. */
    public static long known(TracedProcess p) {
        if (p.callStub() == 0) {
            p.useCallStub(find(p.pid()));
        }
        return p.callStub();
    }

    /**
     * Records that {@code copy} holds {@code original}'s stub: it was forked from it (a snapshot,
     * a child) or from its snapshot (a restored process), so its memory has the same page.
     */
    public static void inherit(TracedProcess copy, TracedProcess original) {
        copy.useCallStub(original.callStub());
    }

    private static long find(int pid) {
        for (MemoryMapping m : ProcFs.maps(pid)) {
            if (m.size() == PAGE && m.perms().equals("r-xp") && m.path().isEmpty()) {
                try {
                    if (Arrays.equals(ProcessMemory.read(pid, m.start(), CODE.length), CODE)) {
                        return m.start();
                    }
                } catch (LinuxException e) {
                    // unreadable: not ours
                }
            }
        }
        return 0;
    }

    /**
     * Maps the page read+exec (never writable: a program under "write xor execute" rules may
     * refuse W+X mappings) and writes the code through /proc/PID/mem, which may write read-only
     * private pages of a process we trace.
     */
    private static long map(TracedThread thread) {
        long at = SyscallInjector.call(thread, "mmap of the call stub", Syscall.MMAP, 0, PAGE, PROT_READ | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        ProcessMemory.write(thread.process().pid(), at, CODE);
        return at;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
