package dev.rewind.backend.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.linux.UserRegs;
import org.junit.jupiter.api.Test;

/** The saved registers of a thread stopped inside a syscall, as a new task must see them. */
class SyscallRestartTest {
    private static UserRegs stoppedIn(long syscall, long rax) {
        UserRegs r = new UserRegs();
        r.orig_rax = syscall;
        r.rax = rax;
        r.rip = 0x1002;
        return r;
    }

    @Test
    void restartableCallsRunAgain() {
        for (int err : new int[] {Syscall.ERESTARTSYS, Syscall.ERESTARTNOINTR, Syscall.ERESTARTNOHAND}) {
            UserRegs r = stoppedIn(0, -err);
            ThreadCapture.normalizeSyscallRestart(r);
            assertEquals(0x1000, r.rip);
            assertEquals(0, r.rax);
            assertEquals(-1, r.orig_rax);
        }
    }

    @Test
    void restartBlockBecomesEintr() {
        UserRegs r = stoppedIn(230, -Syscall.ERESTART_RESTARTBLOCK);
        ThreadCapture.normalizeSyscallRestart(r);
        assertEquals(-4, r.rax);
        assertEquals(0x1002, r.rip);
    }

    @Test
    void completedCallsAndUserCodeAreLeftAlone() {
        UserRegs r = stoppedIn(1, 5);
        ThreadCapture.normalizeSyscallRestart(r);
        assertEquals(5, r.rax);
        assertEquals(0x1002, r.rip);
        UserRegs user = stoppedIn(-1, 42);
        ThreadCapture.normalizeSyscallRestart(user);
        assertEquals(42, user.rax);
    }
}
