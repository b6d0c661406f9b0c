package dev.rewind.backend.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * x86-64 {@code struct user_regs_struct} (arch/x86/include/asm/user_64.h), as a plain mutable
 * Java value so that code outside this package never touches JNA. Fields keep the kernel's
 * names and order. Not thread-safe; copy before sharing.
 */
public final class UserRegs {
    /** sizeof(struct user_regs_struct): 27 unsigned longs. */
    public static final int SIZE = 27 * 8;

    public long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    public long rax, rcx, rdx, rsi, rdi;
    /** The syscall number at syscall entry; -1 tells the kernel there is no syscall to restart. */
    public long orig_rax;
    public long rip, cs, eflags, rsp, ss;
    public long fs_base, gs_base;
    public long ds, es, fs, gs;

    public static UserRegs fromBytes(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        UserRegs r = new UserRegs();
        r.r15 = b.getLong(); r.r14 = b.getLong(); r.r13 = b.getLong(); r.r12 = b.getLong();
        r.rbp = b.getLong(); r.rbx = b.getLong(); r.r11 = b.getLong(); r.r10 = b.getLong();
        r.r9 = b.getLong(); r.r8 = b.getLong(); r.rax = b.getLong(); r.rcx = b.getLong();
        r.rdx = b.getLong(); r.rsi = b.getLong(); r.rdi = b.getLong(); r.orig_rax = b.getLong();
        r.rip = b.getLong(); r.cs = b.getLong(); r.eflags = b.getLong(); r.rsp = b.getLong();
        r.ss = b.getLong(); r.fs_base = b.getLong(); r.gs_base = b.getLong(); r.ds = b.getLong();
        r.es = b.getLong(); r.fs = b.getLong(); r.gs = b.getLong();
        return r;
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(r15).putLong(r14).putLong(r13).putLong(r12).putLong(rbp).putLong(rbx).putLong(r11)
                .putLong(r10).putLong(r9).putLong(r8).putLong(rax).putLong(rcx).putLong(rdx).putLong(rsi)
                .putLong(rdi).putLong(orig_rax).putLong(rip).putLong(cs).putLong(eflags).putLong(rsp)
                .putLong(ss).putLong(fs_base).putLong(gs_base).putLong(ds).putLong(es).putLong(fs).putLong(gs);
        return b.array();
    }

    public UserRegs copy() {
        return fromBytes(toBytes());
    }
}
