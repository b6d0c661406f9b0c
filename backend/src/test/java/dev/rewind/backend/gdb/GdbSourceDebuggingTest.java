package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plain source-level debugging through the gdbserver, with real gdb: what gdbserver offers. */
class GdbSourceDebuggingTest {
    @BeforeAll
    static void gdb() {
        GdbHarness.assumeGdb();
    }

    @Test
    void breakPrintNextFinishAndBacktrace() throws Exception {
        GdbHarness.Session s = GdbHarness.run("gdb-loop", null, List.of(
                "break step", "continue", "print i", "next", "next", "print square", "print total", "bt",
                "finish", "next", "print value", "continue", "continue", "print i", "info registers rip"));
        // i, square, total, the value finish returned, value, and i at the third hit.
        assertEquals(List.of("1", "1", "1", "1", "1", "3"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        s.find("Breakpoint 1(?:\\.1)?, step \\(i=1\\) at gdb-loop.c:11");
        s.find("\n12\\s+total \\+= square");
        s.find("#0  step \\(i=1\\) at gdb-loop.c:13");
        s.find("#1  0x[0-9a-f]+ in main \\(argc=1, argv=0x[0-9a-f]+\\) at gdb-loop.c:22");
        s.find("Value returned is \\$\\d+ = 1");
        s.find("Breakpoint 1(?:\\.1)?, step \\(i=3\\)");
        s.find("rip\\s+0x[0-9a-f]+\\s+0x[0-9a-f]+ <step\\+\\d+>");
        assertTrue(s.programOutput().contains("value 1 total 1"), s.toString());
    }

    @Test
    void runLaunchesTheProgramGdbNamesAndItRunsToItsEnd() throws Exception {
        GdbHarness.Session s = GdbHarness.run(null, null, List.of(
                "file " + GdbHarness.program("gdb-loop"), "break gdb-loop.c:22", "run", "print i", "delete",
                "continue"));
        s.find("Breakpoint 1, main \\(argc=1, argv=0x[0-9a-f]+\\) at gdb-loop.c:22");
        assertEquals("1", s.find("\\$1 = (\\d+)"));
        // 1 + 4 + 9 + 16 + 25 = 55: the exit code.
        s.find("\\[Inferior 1 \\(process \\d+\\) exited with code 067\\]");
        assertTrue(s.programOutput().contains("value 25 total 55"), s.toString());
    }

    @Test
    void fourThreadsAreListed() throws Exception {
        GdbHarness.Session s = GdbHarness.run("gdb-threads", null, List.of(
                "break all_started", "continue", "info threads", "print n", "continue"));
        s.find("Breakpoint 1, all_started \\(n=4\\)");
        List<String> threads = s.findAll("\n[* ] +(\\d+) +Thread ");
        assertEquals(List.of("1", "2", "3", "4", "5"), threads, s.toString());
        s.find("\\* 1 +Thread [^\n]*all_started \\(n=4\\)");
        s.find("exited normally");
        assertTrue(s.programOutput().contains("done"), s.toString());
    }

    @Test
    void hardwareWatchpointStopsAfterEachWriteAlsoAfterARestart() throws Exception {
        GdbHarness.Session s = GdbHarness.run("gdb-loop", null, List.of(
                "watch total", "continue", "continue", "monitor checkpoint at five", "continue", "print total",
                "run c1", "print total", "continue", "print total", "delete", "continue"));
        s.find("Hardware watchpoint 1: total");
        s.find("Old value = 0\\s+New value = 1\\s");
        s.find("Old value = 1\\s+New value = 5\\s");
        s.find("Old value = 5\\s+New value = 14\\s");
        // 14 after the third write; 5 again at the checkpoint; 14 again once the watchpoint,
        // inserted anew by gdb into the restored process, stops at the same write.
        assertEquals(List.of("14", "5", "14"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        s.find("exited with code 067");
    }

    @Test
    void aForkedChildRunsFreeOfTheBreakpointsItInherited() throws Exception {
        // gdb hears of the fork and detaches the child (detach-on-fork, its default): the child
        // must neither stop nor die of the int3 it inherited; the parent stops at the breakpoint.
        GdbHarness.Session s = GdbHarness.run("gdb-fork", null, List.of("break work", "continue", "print who",
                "continue"));
        s.find("\\[Detaching after fork from child process \\d+\\]");
        s.find("Breakpoint 1, work \\(who=2\\)");
        assertEquals(List.of("2"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        s.find("exited normally");
        assertTrue(s.programOutput().contains("child work 2"), s.toString());
        assertTrue(s.programOutput().contains("child exited 0 signaled 0"), s.toString());
    }

    @Test
    void withDetachOnForkOffTheChildIsASecondInferiorWithItsOwnBreakpoints() throws Exception {
        // gdb follows the child and keeps the parent held at its fork: the child stops at its
        // own copy of the breakpoint, both inferiors are listed, each runs to its end in turn.
        GdbHarness.Session s = GdbHarness.run("gdb-fork", null, List.of("set detach-on-fork off",
                "set follow-fork-mode child", "break work", "continue", "print who", "info inferiors", "continue",
                "inferior 1", "continue", "print who", "continue"));
        s.find("\\[New inferior 2 \\(process \\d+\\)\\]");
        s.find("hit Breakpoint 1\\.\\d, work \\(who=1\\)");
        assertEquals(2, s.findAll("(?m)^\\*?\\s+[12]\\s+process (\\d+)").size(), s.toString());
        s.find("\\[Inferior 2 \\(process \\d+\\) exited normally\\]");
        s.find("hit Breakpoint 1\\.\\d, work \\(who=2\\)");
        assertEquals(List.of("1", "2"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        s.find("\\[Inferior 1 \\(process \\d+\\) exited normally\\]");
        assertTrue(s.programOutput().contains("child work 2"), s.toString());
        assertTrue(s.programOutput().contains("child exited 0 signaled 0"), s.toString());
        assertTrue(s.programOutput().contains("parent work 4"), s.toString());
    }

    @Test
    void aHardwareWatchpointInAKeptChildStopsTheChildWithTheOldAndNewValues() throws Exception {
        // The child has debug registers of its own (a fork inherits none): gdb's Z2 for it sets
        // them in the child, and the hit is reported as the child's.
        GdbHarness.Session s = GdbHarness.run("gdb-fork", null, List.of("set detach-on-fork off",
                "set follow-fork-mode child", "break work", "continue", "watch result", "continue", "continue",
                "inferior 1", "continue", "continue"));
        s.find("Hardware watchpoint 2: result");
        s.find("Thread 2\\.1 \"gdb-fork\" hit Hardware watchpoint 2: result\\s+Old value = 0\\s+New value = 2");
        s.find("\\[Inferior 2 \\(process \\d+\\) exited normally\\]");
        s.find("hit Breakpoint 1\\.\\d, work \\(who=2\\)");
        s.find("\\[Inferior 1 \\(process \\d+\\) exited normally\\]");
        assertTrue(s.programOutput().contains("child work 2"), s.toString());
        assertTrue(s.programOutput().contains("parent work 4"), s.toString());
    }

    @Test
    void nextOverAForkReportsItAndTheHeldChildRunsWhenItsInferiorContinues() throws Exception {
        // The fork happens inside a range step (next): gdb hears of it all the same.
        GdbHarness.Session s = GdbHarness.run("gdb-fork", null, List.of("set detach-on-fork off", "break main",
                "continue", "next", "next", "info inferiors", "inferior 2", "continue", "inferior 1", "next", "next",
                "print child > 0", "continue"));
        assertEquals(2, s.findAll("(?m)^\\*?\\s+[12]\\s+process (\\d+)").size(), s.toString());
        s.find("\\[Inferior 2 \\(process \\d+\\) exited normally\\]");
        assertEquals(List.of("1"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        s.find("\\[Inferior 1 \\(process \\d+\\) exited normally\\]");
        assertTrue(s.programOutput().contains("child exited 0 signaled 0"), s.toString());
    }

    @Test
    void aVforkChildRunsInItsParentsMemoryWithoutTheBreakpoints() throws Exception {
        // The child calls work() in the memory it shares with its parent: the int3 must be out
        // of it until the child execs (vforkdone), then back for the parent.
        GdbHarness.Session s = GdbHarness.run("gdb-vfork", null, List.of("break work", "continue", "print who",
                "continue"));
        s.find("\\[Detaching after vfork from child process \\d+\\]");
        s.find("Breakpoint 1, work \\(who=2\\)");
        assertEquals(List.of("2"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        s.find("exited normally");
        assertTrue(s.programOutput().contains("child exited 0 signaled 0"), s.toString());
    }

    @Test
    void gdbReadsTheTargetsFilesThroughTheStub() throws Exception {
        // vFile: gdb reads /proc of the debuggee (and its program) through the stub, as from gdbserver.
        GdbHarness.Session s = GdbHarness.run("gdb-loop", null, List.of("break step", "continue", "info proc mappings"));
        s.find("\\[stack\\]");
        s.find("r-xp\\s+\\S*gdb-loop");
        assertFalse(s.gdbOutput().contains("unable to open /proc file"), s.toString());
        assertFalse(s.gdbOutput().contains("does not support file transfer"), s.toString());
    }

    @Test
    void execIsReportedAndGdbStopsInTheNewProgram() throws Exception {
        // main's breakpoint is in the old program: it must not be written into the new one.
        GdbHarness.Session s = GdbHarness.run("gdb-exec", null, List.of("set breakpoint pending on", "break main",
                "break step", "continue", "continue", "continue", "print i", "delete", "continue"));
        s.find("process \\d+ is executing new program: \\S*gdb-loop");
        s.find("Breakpoint \\d+(?:\\.\\d+)?, step \\(i=1\\) at gdb-loop.c:11");
        assertEquals(List.of("1"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        s.find("exited with code 067");
        assertTrue(s.programOutput().contains("value 25 total 55"), s.toString());
    }

    @Test
    void nextStepsAWholeLineInOnePacket() throws Exception {
        GdbHarness.Session s = GdbHarness.run("gdb-loop", null, List.of("break step", "continue",
                "set debug remote 1", "next", "set debug remote 0", "print square", "next", "print total"));
        // gdb range-steps the line (vCont;r) instead of sending one step per instruction.
        assertTrue(s.gdbOutput().contains("vCont;r"), s.toString());
        assertEquals(List.of("1", "1"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        s.find("\n12\\s+total \\+= square");
    }
}
