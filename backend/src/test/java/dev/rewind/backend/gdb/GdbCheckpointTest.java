package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints, restarts and going back, driven from real gdb. */
class GdbCheckpointTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void gdb() {
        GdbHarness.assumeGdb();
    }

    @Test
    void runCrestartsAtTheCheckpointAndTheSameCridServesTwice() throws Exception {
        GdbHarness.Session s = GdbHarness.run("gdb-loop", null, List.of(
                "break gdb-loop.c:12", "continue", "continue", GdbHarness.checkpointAsCp("at-two"), "continue",
                "continue", "print total", "eval \"monitor label %d second hit\", $cp", "monitor checkpoints",
                "eval \"run c%d\", $cp", "print total", "print i", "next", "print total", "continue", "print i",
                "eval \"run c%d\", $cp", "print total", "print i", "bt"));
        s.find("is now 'second hit'");
        s.find("\n  \\d+ +second hit +manual .* step");
        List<String> values = s.findAll("\\$\\d+ = (\\d+)");
        // total before the restart; then total and i at the checkpoint (i=2, before adding 4);
        // total after 'next'; i at the next hit; then the checkpoint again.
        assertEquals(List.of("14", "1", "2", "5", "3", "1", "2"), values, s.toString());
        s.find("#0  step \\(i=2\\) at gdb-loop.c:12[^\n]*\n#1  [^\n]*main");
    }

    @Test
    void rwRestartThenAPlainRunStartsFromTheBeginning() throws Exception {
        Path script = GdbHarness.script(dir);
        GdbHarness.Session s = GdbHarness.run("gdb-loop", script, List.of(
                "break gdb-loop.c:12", "continue", "continue", GdbHarness.checkpointAsCp("two"), "continue", "rw-list",
                "eval \"rw-restart %d\", $cp", "print i", "eval \"rw-restart %d\", $cp", "print i", "show args",
                "run", "print i", "print total"));
        List<String> values = s.findAll("\\$\\d+ = (\\d+)");
        assertEquals(List.of("2", "2", "1", "0"), values, s.toString());
        s.find("two +manual");
        // hookpost-run put the program's own (empty) arguments back.
        s.find("Argument list to give program being debugged when it is started is \"\"");
    }

    @Test
    void rwBackTwiceAfterThreeHitsShowsTheFirstAndContinueGoesForwardAgain() throws Exception {
        Path script = GdbHarness.script(dir);
        GdbHarness.Session s = GdbHarness.run("gdb-loop", script, List.of(
                "break gdb-loop.c:12", "continue", "continue", "continue", "print i",
                "rw-back", "print i", "rw-back", "print i", "print total", "continue", "print i", "monitor stops"));
        assertEquals(List.of("3", "2", "1", "0", "2"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        s.find("rw-back 1 -> checkpoint \\d+");
    }

    @Test
    void aRestartThatCannotHappenLeavesTheProgramAsItWas() throws Exception {
        Path script = GdbHarness.script(dir);
        GdbHarness.Session s = GdbHarness.run("gdb-loop", script, List.of(
                "break gdb-loop.c:12", "continue", "continue", "rw-restart 999", "print i", "rw-back 50", "print i",
                "continue", "print i"));
        // gdb kills the process before it sends a run: the script asks the stub first.
        assertEquals(List.of("2", "2", "3"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        s.find("no checkpoint 999");
        s.find("no stop 50 back");
    }

    @Test
    void checkpointOnBreakLabelsEachHit() throws Exception {
        GdbHarness.Session s = GdbHarness.run("gdb-loop", null, List.of(
                "monitor checkpoint-on-break on", "break step", "continue", "continue", "monitor checkpoints",
                "run c2", "print i"));
        // Two hits of 'step'; gdb's own breakpoint in the dynamic linker takes none.
        assertEquals(2, s.findAll("rewind: checkpoint (\\d+) taken at breakpoint").size(), s.toString());
        assertEquals(2, s.findAll("\n  \\d +breakpoint \\d+ +breakpoint ").size(), s.toString());
        assertEquals("2", s.find("\\$1 = (\\d+)"));
    }

    @Test
    void afterARestartToACheckpointTakenAtAStopRwBackGoesToTheStopBeforeThatOne() throws Exception {
        Path script = GdbHarness.script(dir);
        GdbHarness.Session s = GdbHarness.run("gdb-loop", script, List.of(
                "break gdb-loop.c:12", "continue", "continue", "monitor checkpoint at-two", "continue", "continue",
                "print i", "rw-restart 4", "print i", "rw-back", "print i"));
        s.find("checkpoint (4) \\(at-two\\)"); // stops took 1 (entry), 2 (i = 1), 3 (i = 2); this is 4
        // i = 4 before the restart; at the checkpoint i = 2; back goes to the stop before it: i = 1.
        assertEquals(List.of("4", "2", "1"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
    }

    @Test
    void aHitThatTookACheckpointIsTheStopRwBackReturnsToWithoutASecondCheckpoint() throws Exception {
        Path script = GdbHarness.script(dir);
        GdbHarness.Session s = GdbHarness.run("gdb-loop", script, List.of(
                "monitor checkpoint-on-break on", "break gdb-loop.c:12", "continue", "continue", "monitor checkpoints",
                "rw-back", "print i"));
        // One checkpoint per hit (the hit's own), none more from the stop marks at those stops.
        assertEquals(2, s.findAll("\n  \\d +breakpoint \\d+ +breakpoint ").size(), s.toString());
        assertEquals(2, s.findAll("\n  \\d+ .* (step\\+0x\\w+)").size(), s.toString());
        assertEquals("1", s.find("\\$1 = (\\d+)"));
    }

    @Test
    void quittingGdbKillsTheProgramAndAnAbruptDisconnectToo() throws Exception {
        GdbHarness.Session quit = GdbHarness.run("gdb-loop", null, List.of("break step", "continue",
                "monitor checkpoint", "info inferiors"));
        int pid = Integer.parseInt(quit.find("process (\\d+)"));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "killed: " + pid);

        GdbHarness.Session abrupt = GdbHarness.run("gdb-loop", null, List.of("break step", "continue",
                "info inferiors", "shell kill -9 $PPID"));
        int pid2 = Integer.parseInt(abrupt.find("process (\\d+)"));
        assertTrue(abrupt.gdbExit() != 0, abrupt.toString());
        assertFalse(ProcessHandle.of(pid2).map(ProcessHandle::isAlive).orElse(false), "killed: " + pid2);
    }
}
