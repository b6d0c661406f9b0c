package dev.rewind.backend.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One seccomp filter: the classic-BPF program the kernel runs on every system call of a
 * process, over {@code struct seccomp_data { int nr; u32 arch; u64 instruction_pointer; u64
 * args[6]; }}. An injected call is filtered like any other, so before injecting the engine runs
 * the filter here, on the call it is about to make. Immutable.
 */
public final class SeccompFilter {
    /** AUDIT_ARCH_X86_64: the arch word of every x86-64 system call. */
    static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    /** The action part of a filter's return value (include/uapi/linux/seccomp.h). */
    private static final int RET_ACTION_FULL = 0xffff0000;
    private static final int RET_KILL_PROCESS = 0x80000000;
    private static final int RET_KILL_THREAD = 0x00000000;
    private static final int RET_TRAP = 0x00030000;
    private static final int RET_ERRNO = 0x00050000;
    private static final int RET_USER_NOTIF = 0x7fc00000;
    private static final int RET_TRACE = 0x7ff00000;
    private static final int RET_LOG = 0x7ffc0000;
    private static final int RET_ALLOW = 0x7fff0000;
    private static final int SECCOMP_DATA_SIZE = 64;
    /** The kernel caps a filter at 4096 instructions; a longer program is not a filter. */
    private static final int MAX_INSTRUCTIONS = 4096;

    private final ByteBuffer program;
    private final int length;

    public SeccompFilter(byte[] program) {
        if (program.length == 0 || program.length % 8 != 0 || program.length / 8 > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("not a classic BPF program: " + program.length + " bytes");
        }
        this.program = ByteBuffer.wrap(program.clone()).order(ByteOrder.LITTLE_ENDIAN);
        this.length = program.length / 8;
    }

    /** Whether a return value lets the call run (ALLOW, or LOG which allows and logs). */
    public static boolean allows(int ret) {
        int action = ret & RET_ACTION_FULL;
        return action == RET_ALLOW || action == RET_LOG;
    }

    /** What a return value does to the call, in words. */
    public static String describe(int ret) {
        int action = ret & RET_ACTION_FULL;
        return switch (action) {
            case RET_KILL_PROCESS -> "kills the process";
            case RET_KILL_THREAD -> "kills the thread";
            case RET_TRAP -> "raises SIGSYS";
            case RET_ERRNO -> "fails it with errno " + (ret & 0xffff);
            case RET_USER_NOTIF -> "hands it to a user-space supervisor";
            case RET_TRACE -> "hands it to a seccomp tracer (none is there: it fails with ENOSYS)";
            case RET_LOG, RET_ALLOW -> "allows it";
            default -> String.format("returns 0x%08x", ret);
        };
    }

    /** The filter's verdict on system call {@code nr} with these arguments, made from {@code ip}. */
    public int evaluate(int nr, long ip, long... args) {
        ByteBuffer data = ByteBuffer.allocate(SECCOMP_DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, AUDIT_ARCH_X86_64).putLong(8, ip);
        for (int i = 0; i < args.length && i < 6; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        int a = 0;
        int x = 0;
        int[] mem = new int[16];
        int pc = 0;
        while (pc < length) {
            int code = program.getShort(pc * 8) & 0xffff;
            int jt = program.get(pc * 8 + 2) & 0xff;
            int jf = program.get(pc * 8 + 3) & 0xff;
            int k = program.getInt(pc * 8 + 4);
            pc++;
            switch (code & 0x07) {
                case 0x00 -> a = load(code, k, data, mem, x); // LD
                case 0x01 -> x = load(code, k, data, mem, x); // LDX
                case 0x02 -> mem[k & 15] = a; // ST
                case 0x03 -> mem[k & 15] = x; // STX
                case 0x04 -> a = alu(code, a, (code & 0x08) != 0 ? x : k); // ALU
                case 0x05 -> { // JMP
                    int op = code & 0xf0;
                    if (op == 0x00) {
                        pc += k;
                    } else {
                        pc += jump(op, a, (code & 0x08) != 0 ? x : k) ? jt : jf;
                    }
                }
                case 0x06 -> { // RET
                    return (code & 0x18) == 0x10 ? a : (code & 0x18) == 0x08 ? x : k;
                }
                default -> { // MISC: TAX or TXA
                    if ((code & 0xf8) == 0x80) {
                        a = x;
                    } else {
                        x = a;
                    }
                }
            }
        }
        throw new IllegalStateException("seccomp filter ran off its end");
    }

    private static int load(int code, int k, ByteBuffer data, int[] mem, int x) {
        return switch (code & 0xe0) {
            case 0x00 -> k; // IMM
            case 0x20 -> { // ABS: seccomp allows 32-bit aligned loads inside seccomp_data only
                if ((code & 0x18) != 0 || k < 0 || k > SECCOMP_DATA_SIZE - 4 || k % 4 != 0) {
                    throw new IllegalStateException("seccomp filter loads outside seccomp_data: offset " + k);
                }
                yield data.getInt(k);
            }
            case 0x60 -> mem[k & 15]; // MEM
            case 0x80 -> SECCOMP_DATA_SIZE; // LEN
            default -> throw new IllegalStateException(String.format("BPF load 0x%02x not allowed in seccomp", code));
        };
    }

    private static int alu(int code, int a, int v) {
        return switch (code & 0xf0) {
            case 0x00 -> a + v;
            case 0x10 -> a - v;
            case 0x20 -> a * v;
            case 0x30 -> v == 0 ? 0 : Integer.divideUnsigned(a, v);
            case 0x40 -> a | v;
            case 0x50 -> a & v;
            case 0x60 -> (v & 0xffffffffL) >= 32 ? 0 : a << v;
            case 0x70 -> (v & 0xffffffffL) >= 32 ? 0 : a >>> v;
            case 0x80 -> -a;
            case 0x90 -> v == 0 ? 0 : Integer.remainderUnsigned(a, v);
            case 0xa0 -> a ^ v;
            default -> throw new IllegalStateException(String.format("BPF ALU op 0x%02x", code));
        };
    }

    private static boolean jump(int op, int a, int v) {
        return switch (op) {
            case 0x10 -> a == v;
            case 0x20 -> Integer.compareUnsigned(a, v) > 0;
            case 0x30 -> Integer.compareUnsigned(a, v) >= 0;
            case 0x40 -> (a & v) != 0;
            default -> throw new IllegalStateException(String.format("BPF jump op 0x%02x", op));
        };
    }
}
