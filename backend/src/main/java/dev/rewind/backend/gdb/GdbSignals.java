package dev.rewind.backend.gdb;

/**
 * Translates between Linux x86-64 signal numbers and the numbers of the remote protocol, which
 * are gdb's own ({@code include/gdb/signals.def}: e.g. SIGUSR1 is 30, SIGCHLD 20, SIGBUS 10).
 * Stateless.
 */
final class GdbSignals {
    /** Index = Linux signal 0..31, value = gdb signal. */
    private static final int[] LINUX_TO_GDB = {
        0, // 0
        1, 2, 3, 4, 5, 6, // HUP INT QUIT ILL TRAP ABRT
        10, // BUS
        8, 9, // FPE KILL
        30, // USR1
        11, // SEGV
        31, // USR2
        13, 14, 15, // PIPE ALRM TERM
        143, // STKFLT (gdb: GDB_SIGNAL_STKFLT... not in the numbered list; sent as unknown)
        20, 19, 17, 18, 21, 22, 16, // CHLD CONT STOP TSTP TTIN TTOU URG
        24, 25, 26, 27, 28, // XCPU XFSZ VTALRM PROF WINCH
        23, // IO
        32, // PWR
        12, // SYS
    };
    /** gdb's GDB_SIGNAL_REALTIME_33 .. _63 are 45..75; 32 is 77 and 64 is 78 onwards. */
    private static final int GDB_RT33 = 45;
    private static final int GDB_RT32 = 77;
    private static final int GDB_RT64 = 78;

    private GdbSignals() {
    }

    static int toGdb(int linux) {
        if (linux >= 0 && linux < 32) {
            return LINUX_TO_GDB[linux];
        }
        if (linux == 32) {
            return GDB_RT32;
        }
        if (linux >= 33 && linux <= 63) {
            return GDB_RT33 + linux - 33;
        }
        if (linux == 64) {
            return GDB_RT64;
        }
        return 143; // GDB_SIGNAL_UNKNOWN
    }

    static int toLinux(int gdb) {
        if (gdb == 0) {
            return 0;
        }
        for (int l = 1; l < 32; l++) {
            if (LINUX_TO_GDB[l] == gdb && gdb != 143) {
                return l;
            }
        }
        if (gdb == GDB_RT32) {
            return 32;
        }
        if (gdb >= GDB_RT33 && gdb <= GDB_RT33 + 30) {
            return 33 + gdb - GDB_RT33;
        }
        if (gdb == GDB_RT64) {
            return 64;
        }
        throw new IllegalArgumentException("gdb signal " + gdb + " has no Linux number");
    }
}
