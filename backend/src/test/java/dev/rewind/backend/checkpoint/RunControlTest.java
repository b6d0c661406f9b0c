package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.trace.LaunchRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** All-stop run control: breakpoints, steps, pause, signals, and their interplay with checkpoints. */
class RunControlTest {
    private Engine engine;

    @BeforeEach
    void setUp() {
        engine = new Engine();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private Debuggee launchHits(String... args) {
        Debuggee d = engine.launch(new LaunchRequest(TestDebuggees.program("hits").toString(), List.of(args), null, null,
                List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE)), true);
        StopEvent entry = next(d);
        assertEquals(StopReason.ENTRY, entry.reason());
        assertTrue(d.isStopped());
        return d;
    }

    private static StopEvent next(Debuggee d) {
        return d.awaitStop(TIMEOUT).orElseThrow(() -> new AssertionError("no stop within " + TIMEOUT));
    }

    private static StopEvent nextBreakpoint(Debuggee d) {
        StopEvent e = next(d);
        assertEquals(StopReason.BREAKPOINT, e.reason(), e.toString());
        return e;
    }

    @Test
    void aVforkChildRunsInTheSharedMemoryWithoutTheBreakpointsAndTheParentHitsThemAfter() {
        Debuggee d = engine.launch(new LaunchRequest(TestDebuggees.program("gdb-vfork").toString(), List.of(), null, null,
                List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE)), true);
        assertEquals(StopReason.ENTRY, next(d).reason());
        d.setBreakpoint(d.symbolAddress("work"), false);
        d.resume();
        StopEvent e = nextBreakpoint(d);
        assertEquals(d.pid(), e.pid());
        assertEquals(2, d.registers(e.tid()).rdi, "the parent's work(2); the child's work(1) ran without the int3");
        assertEquals("child exited 0 signaled 0", d.stdout().awaitLine(0, TIMEOUT));
        d.resume();
        assertEquals("parent work 4", d.stdout().awaitLine(1, TIMEOUT));
    }

    @Test
    void breakpointStopsAtEachHitAndResumeSteppsOverIt() {
        Debuggee d = launchHits("3");
        Breakpoint b = d.setBreakpoint(d.symbolAddress("hit"), false);
        for (int i = 0; i < 3; i++) {
            d.resume();
            StopEvent e = nextBreakpoint(d);
            assertEquals(b.id(), e.breakpointId());
            assertEquals(b.address(), e.pc());
            assertEquals(i, d.registers(e.tid()).rdi, "hit(" + i + ")");
            assertEquals((byte) 0x55 == d.readMemory(b.address(), 1)[0] || d.readMemory(b.address(), 1)[0] != (byte) 0xcc,
                    true, "reads never show our int3");
        }
        d.resume();
        StopEvent end = next(d);
        assertEquals(StopReason.EXITED, end.reason());
        assertEquals(0, end.exitCode());
        assertEquals("sum 3", d.stdout().awaitLine(0, TIMEOUT));
    }

    @Test
    void restartFromACheckpointTakenAtABreakpointLandsThereAgain() {
        Debuggee d = launchHits("6");
        Breakpoint b = d.setBreakpoint(d.symbolAddress("hit"), false);
        d.resume();
        nextBreakpoint(d);
        d.resume();
        StopEvent second = nextBreakpoint(d);
        TimelineEntry cp = d.checkpoint("at hit(1)", CheckpointReason.STOP);
        assertNotEquals((byte) 0xcc, d.readSnapshotMemory(cp.crid(), b.address(), 1)[0], "no int3 in the snapshot");
        d.resume();
        nextBreakpoint(d);
        for (int run = 0; run < 2; run++) {
            d.restart(cp.crid(), false);
            assertTrue(d.isStopped());
            assertEquals(b.address(), d.registers(second.tid()).rip);
            assertEquals(1, d.registers(second.tid()).rdi);
            d.resume();
            StopEvent e = nextBreakpoint(d);
            assertEquals(2, d.registers(e.tid()).rdi, "the next hit after the restart is hit(2)");
        }
    }

    @Test
    void checkpointOnHitRecordsEveryHit() {
        Debuggee d = launchHits("3");
        d.setBreakpoint(d.symbolAddress("hit"), true);
        for (int i = 0; i < 3; i++) {
            d.resume();
            StopEvent e = nextBreakpoint(d);
            assertNotNull(e.crid());
        }
        List<TimelineEntry> t = d.timeline();
        assertEquals(3, t.size());
        assertTrue(t.stream().allMatch(e -> e.reason() == CheckpointReason.BREAKPOINT));
        assertTrue(t.get(0).threads().get(0).symbol().startsWith("hit"), t.get(0).threads().toString());
    }

    @Test
    void stepMovesOneInstruction() {
        Debuggee d = launchHits("2");
        d.setBreakpoint(d.symbolAddress("hit"), false);
        d.resume();
        StopEvent bp = nextBreakpoint(d);
        StopEvent step = d.step(bp.tid(), 0);
        assertEquals(StopReason.STEP, step.reason());
        assertNotEquals(bp.pc(), step.pc());
        assertEquals(step, next(d), "the step is queued too");
    }

    @Test
    void signalsStopUnlessPassed() {
        Debuggee d = launchHits("1", "raise");
        d.resume();
        StopEvent e = next(d);
        assertEquals(StopReason.SIGNAL, e.reason());
        assertEquals(Signals.SIGUSR1, e.signal());
        d.resume(Map.of());
        StopEvent end = next(d);
        assertEquals(StopReason.EXITED, end.reason(), "resumed without the signal: SIGUSR1 never arrives");
    }

    @Test
    void heldSignalIsDeliveredOnAPlainResume() {
        Debuggee d = launchHits("1", "raise");
        d.resume();
        assertEquals(StopReason.SIGNAL, next(d).reason());
        d.resume();
        StopEvent end = next(d);
        assertEquals(StopReason.KILLED, end.reason());
        assertEquals(Signals.SIGUSR1, end.signal());
    }

    @Test
    void killLiveKeepsTheCheckpoints() {
        Debuggee d = launchHits("3");
        TimelineEntry cp = d.checkpoint("entry", CheckpointReason.MANUAL);
        d.killLive();
        assertEquals(StopReason.KILLED, next(d).reason());
        d.restart(cp.crid(), true);
        assertEquals(StopReason.EXITED, next(d).reason());
        assertEquals("sum 3", d.stdout().awaitLine(0, TIMEOUT));
    }

    @Test
    void pauseStopsARunningProgram() {
        Debuggee d = TestDebuggees.launch(engine, "blockers", null);
        d.stdout().awaitLineStartingWith(0, "sleeper", TIMEOUT);
        StopEvent p = d.pause();
        assertEquals(StopReason.PAUSED, p.reason());
        assertTrue(d.isStopped());
        assertEquals(p, next(d));
        d.resume();
        int from = d.stdout().lineCount();
        d.stdout().awaitLineStartingWith(from, "slept", TIMEOUT);
        assertThrows(IllegalStateException.class, () -> d.registers(d.pid()), "registers of a running thread");
    }
}
