package dev.rewind.backend.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The classic-BPF evaluator on hand-assembled seccomp programs (pure logic, no process). */
class SeccompFilterTest {
    private static final int ALLOW = 0x7fff0000;
    private static final int ERRNO = 0x00050000;
    private static final int KILL_PROCESS = 0x80000000;

    private static byte[] program(int[]... instructions) {
        ByteBuffer b = ByteBuffer.allocate(8 * instructions.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] i : instructions) {
            b.putShort((short) i[0]).put((byte) i[1]).put((byte) i[2]).putInt(i[3]);
        }
        return b.array();
    }

    /** Kill other arches; fail syscall {@code nr} whose first argument has bit 0x8000 with EPERM; allow the rest. */
    private static SeccompFilter filter(int nr) {
        return new SeccompFilter(program(
                new int[] {0x20, 0, 0, 4}, // ld [arch]
                new int[] {0x15, 1, 0, SeccompFilter.AUDIT_ARCH_X86_64}, // jeq x86_64, +1
                new int[] {0x06, 0, 0, KILL_PROCESS},
                new int[] {0x20, 0, 0, 0}, // ld [nr]
                new int[] {0x15, 0, 3, nr}, // jeq nr, 0, +3
                new int[] {0x20, 0, 0, 16}, // ld [args[0] low word]
                new int[] {0x45, 0, 1, 0x8000}, // jset 0x8000, 0, +1
                new int[] {0x06, 0, 0, ERRNO | 1},
                new int[] {0x06, 0, 0, ALLOW}));
    }

    @Test
    void decidesOnNumberAndArguments() {
        SeccompFilter f = filter(Syscall.CLONE);
        assertEquals(ALLOW, f.evaluate(Syscall.GETPID, 0x1000));
        assertEquals(ALLOW, f.evaluate(Syscall.CLONE, 0x1000, 0));
        int refused = f.evaluate(Syscall.CLONE, 0x1000, 0x8000);
        assertEquals(ERRNO | 1, refused);
        assertFalse(SeccompFilter.allows(refused));
        assertEquals("fails it with errno 1", SeccompFilter.describe(refused));
        assertTrue(SeccompFilter.allows(0x7ffc0000), "LOG allows");
    }

    @Test
    void aluAndScratchMemory() {
        // A = nr; M[0] = A; A = A * 2 + 1; X = A; A = M[0]; A = A ^ X; return A
        SeccompFilter f = new SeccompFilter(program(
                new int[] {0x20, 0, 0, 0}, new int[] {0x02, 0, 0, 0}, new int[] {0x24, 0, 0, 2},
                new int[] {0x04, 0, 0, 1}, new int[] {0x07, 0, 0, 0}, new int[] {0x60, 0, 0, 0},
                new int[] {0xac, 0, 0, 0}, new int[] {0x16, 0, 0, 0}));
        assertEquals(5 ^ 11, f.evaluate(5, 0));
    }
}
