package dev.rewind.backend.gdb;

import java.util.List;
import java.util.Set;

/**
 * A packet from gdb, parsed into what it asks for. The stub switches on these and never sees
 * packet text. Sections refer to the gdb manual, appendix "Remote Serial Protocol".
 */
sealed interface GdbRequest {
    /** {@code qSupported:features}: gdb's features; the reply lists ours. */
    record Supported(List<String> gdbFeatures) implements GdbRequest {
    }

    /** {@code QStartNoAckMode}: stop sending {@code +}/{@code -} after the OK. */
    record StartNoAckMode() implements GdbRequest {
    }

    /** {@code ?}: why did the target stop. */
    record HaltReason() implements GdbRequest {
    }

    /** {@code g}: all registers of the current general thread. */
    record ReadRegisters() implements GdbRequest {
    }

    /** {@code G XX...}: write all registers. */
    record WriteRegisters(byte[] data) implements GdbRequest {
    }

    /** {@code p n}: one register. */
    record ReadRegister(int number) implements GdbRequest {
    }

    /** {@code P n=r...}: write one register. */
    record WriteRegister(int number, byte[] value) implements GdbRequest {
    }

    /** {@code m addr,length} (hex reply) or {@code x addr,length} (binary reply). */
    record ReadMemory(long address, int length, boolean binary) implements GdbRequest {
    }

    /** {@code M addr,length:XX...} or {@code X addr,length:binary}. */
    record WriteMemory(long address, byte[] data) implements GdbRequest {
    }

    /** {@code Z type,addr,kind} / {@code z type,addr,kind}: 0 software breakpoint, 1 hardware, 2-4 watchpoints. */
    record Breakpoint(boolean insert, int type, long address, int kind) implements GdbRequest {
    }

    /** {@code vCont;action[:thread]...}, and the legacy {@code c}/{@code s}/{@code C}/{@code S} mapped onto it. */
    record Resume(List<ResumeAction> actions) implements GdbRequest {
    }

    /** {@code vCont?}: which actions vCont supports. */
    record ResumeActionsQuery() implements GdbRequest {
    }

    /** {@code qfThreadInfo} (first) and {@code qsThreadInfo} (rest). */
    record ThreadList(boolean first) implements GdbRequest {
    }

    /** {@code qC}: the current thread. */
    record CurrentThread() implements GdbRequest {
    }

    /** {@code T thread}: is it alive. */
    record ThreadAlive(Ptid thread) implements GdbRequest {
    }

    /** {@code Hg thread} / {@code Hc thread}: the thread later g/m/s packets refer to. */
    record SetThread(char operation, Ptid thread) implements GdbRequest {
    }

    /** {@code qXfer:object:read:annex:offset,length}. */
    record XferRead(String object, String annex, long offset, int length) implements GdbRequest {
    }

    /** {@code vKill;pid} or {@code k}; pid 0 when not given. */
    record Kill(int pid) implements GdbRequest {
    }

    /** {@code D} or {@code D;pid}; pid 0 when not given. */
    record Detach(int pid) implements GdbRequest {
    }

    /** {@code vRun;filename;arg...}: an empty filename means the program we were started with. */
    record Run(String filename, List<String> args) implements GdbRequest {
    }

    /** {@code vAttach;pid}. */
    record Attach(int pid) implements GdbRequest {
    }

    /** {@code QPassSignals:sig;sig...} (pass) or {@code QProgramSignals:...} (program), gdb signal numbers. */
    record SignalSet(boolean pass, Set<Integer> gdbSignals) implements GdbRequest {
    }

    /** {@code qRcmd,hex}: a {@code monitor} command. */
    record Monitor(String command) implements GdbRequest {
    }

    /** {@code qAttached[:pid]}: was the process attached (1) or created (0). */
    record Attached(int pid) implements GdbRequest {
    }

    /** The 0x03 byte: stop the running program. */
    record Interrupt() implements GdbRequest {
    }

    /** Anything we do not implement; answered with an empty packet, as the manual requires. */
    record Unsupported(String packet) implements GdbRequest {
    }

    /**
     * {@code vFile:operation:arguments}: gdb's host I/O, for reading the target's files (its
     * executable, libraries, /proc). {@code args} are the comma-separated fields, undecoded.
     */
    record HostIo(String operation, List<String> args) implements GdbRequest {
    }

    /** A packet we recognised but could not parse; answered with {@code E01}. */
    record Invalid(String packet, String reason) implements GdbRequest {
    }

    /**
     * One action of vCont. A RANGE action steps {@code thread} while its pc stays in
     * [{@code rangeStart}, {@code rangeEnd}): gdb's range stepping, one packet for a whole line.
     */
    record ResumeAction(Kind kind, int gdbSignal, Ptid thread, long rangeStart, long rangeEnd) {
        enum Kind { CONTINUE, STEP, STOP, RANGE }

        ResumeAction(Kind kind, int gdbSignal, Ptid thread) {
            this(kind, gdbSignal, thread, 0, 0);
        }

        /** True when it names no thread: it applies to every thread no earlier action named. */
        boolean isDefault() {
            return thread == null || thread.matchesAllThreads() && thread.pid() == Ptid.ALL;
        }
    }
}
