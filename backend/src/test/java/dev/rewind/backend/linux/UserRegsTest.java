package dev.rewind.backend.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class UserRegsTest {
    @Test
    void roundTripsInTheKernelsOrder() {
        byte[] raw = new byte[UserRegs.SIZE];
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 27; i++) {
            b.putLong(i * 8, i + 1);
        }
        UserRegs r = UserRegs.fromBytes(raw);
        assertEquals(1, r.r15);
        assertEquals(11, r.rax);
        assertEquals(16, r.orig_rax);
        assertEquals(17, r.rip);
        assertEquals(22, r.fs_base);
        assertEquals(27, r.gs);
        assertArrayEquals(raw, r.toBytes());
    }

    @Test
    void cloneArgsMatchesTheKernelLayout() {
        CloneArgs a = new CloneArgs();
        a.flags = 1;
        a.set_tid = 9;
        a.set_tid_size = 10;
        ByteBuffer b = ByteBuffer.wrap(a.toBytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(88, b.capacity());
        assertEquals(1, b.getLong(0));
        assertEquals(9, b.getLong(64));
        assertEquals(10, b.getLong(72));
    }

    @Test
    void waitStatusDecodesLikeTheMacros() {
        assertEquals(3, new WaitStatus(1, 3 << 8).exitCode());
        WaitStatus killed = new WaitStatus(1, 9);
        assertEquals(true, killed.killed());
        assertEquals(9, killed.termSignal());
        WaitStatus event = new WaitStatus(1, (Ptrace.EVENT_CLONE << 16) | (Signals.SIGTRAP << 8) | 0x7f);
        assertEquals(true, event.stopped());
        assertEquals(Ptrace.EVENT_CLONE, event.event());
        assertEquals(Signals.SIGTRAP, event.stopSignal());
    }
}
