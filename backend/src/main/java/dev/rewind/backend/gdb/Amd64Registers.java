package dev.rewind.backend.gdb;

import dev.rewind.backend.linux.UserRegs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * gdb's amd64 GNU/Linux registers (numbers 0..75, as in {@code amd64-linux.xml}) read from and
 * written to the kernel's {@code user_regs_struct} and XSAVE area. Stateless.
 *
 * <p>The XSAVE layout (Intel SDM vol. 1, 13.4 "XSAVE Area"): the legacy FXSAVE region sits at 0
 * (fcw 0, fsw 2, abridged ftw 4, fop 6, fip 8, fdp 16, mxcsr 24, st0-7 at 32 in 16-byte slots,
 * xmm0-15 at 160), XSTATE_BV at 512, and the AVX upper halves (YMM_Hi128) at 576 in the standard
 * format that PTRACE_GETREGSET NT_X86_XSTATE returns.
 */
final class Amd64Registers {
    static final int RAX = 0, RBX = 1, RCX = 2, RDX = 3, RSI = 4, RDI = 5, RBP = 6, RSP = 7;
    static final int RIP = 16, EFLAGS = 17, CS = 18, GS = 23;
    static final int ST0 = 24, FCTRL = 32, FSTAT = 33, FTAG = 34, FISEG = 35, FIOFF = 36, FOSEG = 37, FOOFF = 38,
            FOP = 39;
    static final int XMM0 = 40, MXCSR = 56, ORIG_RAX = 57, FS_BASE = 58, GS_BASE = 59, YMM0H = 60;
    static final int COUNT = 76;

    private static final int XSTATE_BV = 512;
    private static final int YMM_HI128 = 576;
    private static final long X87_BIT = 1, SSE_BIT = 2, AVX_BIT = 4;
    /** The x87 control word after FNINIT. */
    private static final int FCW_INIT = 0x37f;
    private static final int XSAVE_MIN = YMM_HI128 + 16 * 16;

    private static final List<Integer> SIZES;
    private static final List<Integer> OFFSETS;
    /** Size of a full {@code g} reply in bytes. */
    static final int G_SIZE;

    static {
        List<Integer> sizes = new ArrayList<>();
        for (int n = 0; n < COUNT; n++) {
            sizes.add(sizeOf(n));
        }
        List<Integer> offsets = new ArrayList<>();
        int off = 0;
        for (int s : sizes) {
            offsets.add(off);
            off += s;
        }
        SIZES = Collections.unmodifiableList(sizes);
        OFFSETS = Collections.unmodifiableList(offsets);
        G_SIZE = off;
    }

    private Amd64Registers() {
    }

    static int size(int n) {
        return SIZES.get(n);
    }

    static int offset(int n) {
        return OFFSETS.get(n);
    }

    private static int sizeOf(int n) {
        if (n <= RIP) {
            return 8;
        }
        if (n <= GS) {
            return 4;
        }
        if (n < FCTRL) {
            return 10;
        }
        if (n <= FOP) {
            return 4;
        }
        if (n < MXCSR) {
            return 16;
        }
        if (n == MXCSR) {
            return 4;
        }
        if (n <= GS_BASE) {
            return 8;
        }
        return 16;
    }

    /** All registers, in number order: the body of a {@code g} reply. */
    static byte[] readAll(UserRegs regs, byte[] xsave) {
        ByteBuffer out = ByteBuffer.allocate(G_SIZE);
        for (int n = 0; n < COUNT; n++) {
            out.put(read(n, regs, xsave));
        }
        return out.array();
    }

    /** Writes every register from a {@code G} packet body; {@code regs} and {@code xsave} are updated in place. */
    static void writeAll(byte[] all, UserRegs regs, byte[] xsave) {
        if (all.length < offset(FCTRL)) {
            throw new IllegalArgumentException("G packet too short: " + all.length + " bytes");
        }
        for (int n = 0; n < COUNT && offset(n) + size(n) <= all.length; n++) {
            byte[] v = new byte[size(n)];
            System.arraycopy(all, offset(n), v, 0, v.length);
            write(n, v, regs, xsave);
        }
    }

    /** Register {@code n}, little-endian, {@link #size(int)} bytes. */
    static byte[] read(int n, UserRegs r, byte[] xsave) {
        checkNumber(n);
        ByteBuffer b = ByteBuffer.allocate(size(n)).order(ByteOrder.LITTLE_ENDIAN);
        if (n < ST0 || n == ORIG_RAX || n == FS_BASE || n == GS_BASE) {
            long v = general(n, r);
            if (size(n) == 8) {
                b.putLong(v);
            } else {
                b.putInt((int) v);
            }
            return b.array();
        }
        ByteBuffer x = xsave(xsave);
        long bv = x.getLong(XSTATE_BV);
        if (n < FCTRL) {
            // st(i) in stack order, as FXSAVE stores it; an x87 area in init state reads as zero.
            if ((bv & X87_BIT) != 0) {
                b.put(xsave, 32 + 16 * (n - ST0), 10);
            }
            return b.array();
        }
        if (n <= FOP) {
            boolean init = (bv & X87_BIT) == 0;
            int v = switch (n) {
                case FCTRL -> init ? FCW_INIT : x.getShort(0) & 0xffff;
                case FSTAT -> init ? 0 : x.getShort(2) & 0xffff;
                case FTAG -> init ? 0xffff : fullTagWord(x);
                case FISEG -> init ? 0 : x.getShort(12) & 0xffff;
                case FIOFF -> init ? 0 : x.getInt(8);
                case FOSEG -> init ? 0 : x.getShort(20) & 0xffff;
                case FOOFF -> init ? 0 : x.getInt(16);
                default -> init ? 0 : x.getShort(6) & 0x7ff; // fop: 11 bits
            };
            b.putInt(v);
            return b.array();
        }
        if (n < MXCSR) {
            if ((bv & SSE_BIT) != 0) {
                b.put(xsave, 160 + 16 * (n - XMM0), 16);
            }
            return b.array();
        }
        if (n == MXCSR) {
            b.putInt(x.getInt(24));
            return b.array();
        }
        if ((bv & AVX_BIT) != 0 && xsave.length >= XSAVE_MIN) {
            b.put(xsave, YMM_HI128 + 16 * (n - YMM0H), 16);
        }
        return b.array();
    }

    /** Sets register {@code n} from {@code value} ({@link #size(int)} little-endian bytes). */
    static void write(int n, byte[] value, UserRegs r, byte[] xsave) {
        checkNumber(n);
        if (value.length != size(n)) {
            throw new IllegalArgumentException("register " + n + " has " + size(n) + " bytes, not " + value.length);
        }
        ByteBuffer v = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        if (n < ST0 || n == ORIG_RAX || n == FS_BASE || n == GS_BASE) {
            setGeneral(n, r, size(n) == 8 ? v.getLong() : v.getInt() & 0xffffffffL);
            return;
        }
        ByteBuffer x = xsave(xsave);
        if (n < FCTRL) {
            markPresent(x, X87_BIT);
            System.arraycopy(value, 0, xsave, 32 + 16 * (n - ST0), 10);
            return;
        }
        if (n <= FOP) {
            markPresent(x, X87_BIT);
            int i = v.getInt();
            switch (n) {
                case FCTRL -> x.putShort(0, (short) i);
                case FSTAT -> x.putShort(2, (short) i);
                case FTAG -> x.put(4, abridgedTag(i));
                case FISEG -> x.putShort(12, (short) i);
                case FIOFF -> x.putInt(8, i);
                case FOSEG -> x.putShort(20, (short) i);
                case FOOFF -> x.putInt(16, i);
                default -> x.putShort(6, (short) (i & 0x7ff));
            }
            return;
        }
        if (n < MXCSR) {
            markPresent(x, SSE_BIT);
            System.arraycopy(value, 0, xsave, 160 + 16 * (n - XMM0), 16);
            return;
        }
        if (n == MXCSR) {
            markPresent(x, SSE_BIT);
            x.putInt(24, v.getInt());
            return;
        }
        if (xsave.length < XSAVE_MIN) {
            throw new IllegalArgumentException("this XSAVE area has no AVX state");
        }
        markPresent(x, AVX_BIT);
        System.arraycopy(value, 0, xsave, YMM_HI128 + 16 * (n - YMM0H), 16);
    }

    private static void checkNumber(int n) {
        if (n < 0 || n >= COUNT) {
            throw new IllegalArgumentException("no register " + n);
        }
    }

    private static ByteBuffer xsave(byte[] xsave) {
        if (xsave.length < XSTATE_BV + 8) {
            throw new IllegalArgumentException("XSAVE area too short: " + xsave.length + " bytes");
        }
        return ByteBuffer.wrap(xsave).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A component written by gdb must be marked present, or XRSTOR would load its init state. */
    private static void markPresent(ByteBuffer x, long bit) {
        x.putLong(XSTATE_BV, x.getLong(XSTATE_BV) | bit);
    }

    /**
     * FXSAVE keeps one "not empty" bit per physical x87 register; gdb shows the full two-bit tag
     * word (0 valid, 1 zero, 2 special, 3 empty), derived from each register's contents.
     */
    private static int fullTagWord(ByteBuffer x) {
        int abridged = x.get(4) & 0xff;
        int top = (x.getShort(2) >> 11) & 7;
        int tags = 0;
        for (int phys = 0; phys < 8; phys++) {
            int tag;
            if ((abridged & (1 << phys)) == 0) {
                tag = 3;
            } else {
                int slot = 32 + 16 * ((phys - top) & 7);
                long mantissa = x.getLong(slot);
                int exponent = x.getShort(slot + 8) & 0x7fff;
                if (exponent == 0x7fff) {
                    tag = 2;
                } else if (exponent == 0) {
                    tag = mantissa == 0 ? 1 : 2;
                } else {
                    tag = mantissa < 0 ? 0 : 2; // the explicit integer bit (bit 63) must be set
                }
            }
            tags |= tag << (2 * phys);
        }
        return tags;
    }

    private static byte abridgedTag(int fullTags) {
        int abridged = 0;
        for (int phys = 0; phys < 8; phys++) {
            if (((fullTags >> (2 * phys)) & 3) != 3) {
                abridged |= 1 << phys;
            }
        }
        return (byte) abridged;
    }

    private static long general(int n, UserRegs r) {
        return switch (n) {
            case RAX -> r.rax;
            case RBX -> r.rbx;
            case RCX -> r.rcx;
            case RDX -> r.rdx;
            case RSI -> r.rsi;
            case RDI -> r.rdi;
            case RBP -> r.rbp;
            case RSP -> r.rsp;
            case 8 -> r.r8;
            case 9 -> r.r9;
            case 10 -> r.r10;
            case 11 -> r.r11;
            case 12 -> r.r12;
            case 13 -> r.r13;
            case 14 -> r.r14;
            case 15 -> r.r15;
            case RIP -> r.rip;
            case EFLAGS -> r.eflags;
            case CS -> r.cs;
            case 19 -> r.ss;
            case 20 -> r.ds;
            case 21 -> r.es;
            case 22 -> r.fs;
            case GS -> r.gs;
            case ORIG_RAX -> r.orig_rax;
            case FS_BASE -> r.fs_base;
            case GS_BASE -> r.gs_base;
            default -> throw new IllegalArgumentException("not a general register: " + n);
        };
    }

    private static void setGeneral(int n, UserRegs r, long v) {
        switch (n) {
            case RAX -> r.rax = v;
            case RBX -> r.rbx = v;
            case RCX -> r.rcx = v;
            case RDX -> r.rdx = v;
            case RSI -> r.rsi = v;
            case RDI -> r.rdi = v;
            case RBP -> r.rbp = v;
            case RSP -> r.rsp = v;
            case 8 -> r.r8 = v;
            case 9 -> r.r9 = v;
            case 10 -> r.r10 = v;
            case 11 -> r.r11 = v;
            case 12 -> r.r12 = v;
            case 13 -> r.r13 = v;
            case 14 -> r.r14 = v;
            case 15 -> r.r15 = v;
            case RIP -> r.rip = v;
            case EFLAGS -> r.eflags = v;
            case CS -> r.cs = v;
            case 19 -> r.ss = v;
            case 20 -> r.ds = v;
            case 21 -> r.es = v;
            case 22 -> r.fs = v;
            case GS -> r.gs = v;
            // gdb writes orig_rax as a 64-bit value; -1 means "no syscall to restart" (i386-linux-tdep).
            case ORIG_RAX -> r.orig_rax = v;
            case FS_BASE -> r.fs_base = v;
            case GS_BASE -> r.gs_base = v;
            default -> throw new IllegalArgumentException("not a general register: " + n);
        }
    }

    /** Whether register {@code n} lives in the XSAVE area (writing it needs setXState). */
    static boolean inXState(int n) {
        return n >= ST0 && n <= MXCSR || n >= YMM0H;
    }
}
