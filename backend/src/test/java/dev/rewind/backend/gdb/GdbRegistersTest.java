package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backend.linux.UserRegs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** gdb's amd64 Linux register numbers mapped onto user_regs_struct and the XSAVE area, on bytes. */
class GdbRegistersTest {
    private static byte[] xsave() {
        byte[] x = new byte[1088];
        ByteBuffer b = ByteBuffer.wrap(x).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(512, 7); // XSTATE_BV: x87, SSE, AVX present
        return x;
    }

    private static long le(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
        return v.length == 8 ? b.getLong() : b.getInt() & 0xffffffffL;
    }

    @Test
    void gPacketLayoutMatchesTheTargetDescription() {
        // 16 GPRs + rip (8) + eflags and 6 segments (4) + st0-7 (10) + 8 x87 control (4)
        // + xmm0-15 (16) + mxcsr (4) + orig_rax, fs_base, gs_base (8) + ymm0h-15h (16).
        assertEquals(17 * 8 + 7 * 4 + 8 * 10 + 8 * 4 + 16 * 16 + 4 + 3 * 8 + 16 * 16, Amd64Registers.G_SIZE);
        assertEquals(0, Amd64Registers.offset(Amd64Registers.RAX));
        assertEquals(128, Amd64Registers.offset(Amd64Registers.RIP));
        assertEquals(164, Amd64Registers.offset(Amd64Registers.ST0));
        String xml = new String(GdbStub.targetDescription(), StandardCharsets.UTF_8);
        for (String f : new String[] {"org.gnu.gdb.i386.core", "org.gnu.gdb.i386.sse", "org.gnu.gdb.i386.linux",
            "org.gnu.gdb.i386.segments", "org.gnu.gdb.i386.avx"}) {
            assertEquals(true, xml.contains("\"" + f + "\""), f);
        }
        assertEquals(Amd64Registers.COUNT, xml.split("<reg ").length - 1);
    }

    @Test
    void generalRegistersComeFromUserRegs() {
        UserRegs r = new UserRegs();
        r.rbx = 0x1122334455667788L;
        r.rip = 0x401000;
        r.eflags = 0x246;
        r.orig_rax = -1;
        r.fs_base = 0x7f0000001000L;
        byte[] x = xsave();
        assertEquals(0x1122334455667788L, le(Amd64Registers.read(Amd64Registers.RBX, r, x)));
        assertEquals(0x401000, le(Amd64Registers.read(Amd64Registers.RIP, r, x)));
        assertEquals(0x246, le(Amd64Registers.read(Amd64Registers.EFLAGS, r, x)));
        assertEquals(-1, le(Amd64Registers.read(Amd64Registers.ORIG_RAX, r, x)));
        assertEquals(0x7f0000001000L, le(Amd64Registers.read(Amd64Registers.FS_BASE, r, x)));
        byte[] all = Amd64Registers.readAll(r, x);
        UserRegs back = new UserRegs();
        Amd64Registers.writeAll(all, back, xsave());
        assertArrayEquals(r.toBytes(), back.toBytes());
    }

    @Test
    void vectorRegistersComeFromTheXsaveArea() {
        byte[] x = xsave();
        for (int i = 0; i < 16; i++) {
            x[160 + 16 * 3 + i] = (byte) (0x30 + i); // xmm3
            x[576 + 16 * 3 + i] = (byte) (0x60 + i); // ymm3h
        }
        ByteBuffer.wrap(x).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 0x1f80); // mxcsr
        UserRegs r = new UserRegs();
        assertEquals(0x30, Amd64Registers.read(Amd64Registers.XMM0 + 3, r, x)[0]);
        assertEquals(0x60, Amd64Registers.read(Amd64Registers.YMM0H + 3, r, x)[0]);
        assertEquals(0x1f80, le(Amd64Registers.read(Amd64Registers.MXCSR, r, x)));
        // An AVX component in its init state (XSTATE_BV bit 2 clear) reads as zeros...
        ByteBuffer.wrap(x).order(ByteOrder.LITTLE_ENDIAN).putLong(512, 3);
        assertEquals(0, Amd64Registers.read(Amd64Registers.YMM0H + 3, r, x)[0]);
        // ...and writing it marks it present, so that the kernel loads what gdb wrote.
        byte[] v = new byte[16];
        v[0] = 9;
        Amd64Registers.write(Amd64Registers.YMM0H + 3, v, r, x);
        assertEquals(7, ByteBuffer.wrap(x).order(ByteOrder.LITTLE_ENDIAN).getLong(512));
        assertEquals(9, Amd64Registers.read(Amd64Registers.YMM0H + 3, r, x)[0]);
    }

    @Test
    void x87TagWordIsExpandedFromTheAbridgedOne() {
        byte[] x = xsave();
        ByteBuffer b = ByteBuffer.wrap(x).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) 0x37f);
        // One value pushed: TOP = 7, physical register 7 holds st0 = 1.0 (valid); the rest empty.
        b.putShort(2, (short) (7 << 11));
        b.put(4, (byte) 0x80);
        b.putLong(32, 0x8000000000000000L);
        b.putShort(40, (short) 0x3fff);
        UserRegs r = new UserRegs();
        assertEquals(0x3fff, le(Amd64Registers.read(Amd64Registers.FTAG, r, x)), "tag 0 (valid) for reg 7, 3 for others");
        assertEquals(0x37f, le(Amd64Registers.read(Amd64Registers.FCTRL, r, x)));
        byte[] tags = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0xffff).array();
        Amd64Registers.write(Amd64Registers.FTAG, tags, r, x);
        assertEquals(0, x[4], "all empty");
    }
}
