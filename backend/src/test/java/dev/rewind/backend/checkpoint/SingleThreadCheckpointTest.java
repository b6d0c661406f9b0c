package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
import static dev.rewind.backend.checkpoint.TestDebuggees.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.linux.ProcFs;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint and restart of the single-threaded {@code steps} debuggee. */
class SingleThreadCheckpointTest {
    @TempDir
    Path dir;
    private Engine engine;
    private Debuggee d;
    private final int[] cursor = {0};

    @BeforeEach
    void launch() {
        engine = new Engine();
        d = TestDebuggees.launch(engine, "steps", dir);
        assertEquals("ready", d.stdout().awaitLine(cursor[0]++, TIMEOUT));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private String cmd(char c) {
        return command(d, cursor, c);
    }

    @Test
    void restartCarriesOnFromTheCheckpointEveryTime() {
        for (int i = 1; i <= 5; i++) {
            assertEquals("counter " + i, cmd('i'));
        }
        TimelineEntry cp = d.checkpoint("at 5", CheckpointReason.MANUAL);
        long counterAddress = d.symbolAddress("counter");
        assertEquals(5, java.nio.ByteBuffer.wrap(d.readSnapshotMemory(cp.crid(), counterAddress, 8))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
        cmd('i');
        cmd('i');
        assertEquals("counter 8", cmd('i'));

        d.restart(cp.crid());
        assertEquals("counter 6", cmd('i'));
        assertEquals("counter 7", cmd('i'));
        d.restart(cp.crid());
        assertEquals("counter 6", cmd('i'), "the same crid twice gives the same state twice");
    }

    /**
     * The first checkpoint of a process the backend started makes its stand-in (see Teardown): a
     * stopped process that shares its address space, so that a restart's kill frees nothing. One
     * per process; let go when that process dies (killed by a restart, or at its end), and made
     * again at the restored process's first checkpoint.
     */
    @Test
    void theFirstCheckpointMakesAStandInThatSharesTheMemoryAndGoesWithTheProcess() throws Exception {
        assertEquals(java.util.List.of(), standInsOf(d.pid()));
        TimelineEntry cp = d.checkpoint("one", CheckpointReason.MANUAL);
        java.util.List<Integer> first = standInsOf(d.pid());
        assertEquals(1, first.size(), "a stand-in shares the live address space");
        assertEquals(java.util.List.of(), standInsOf(d.snapshotPid(cp.crid())), "none for the snapshot");
        assertTrue(ProcFs.status(first.get(0)).get("State").contains("tracing stop"), "it never runs");
        d.checkpoint("two", CheckpointReason.MANUAL);
        assertEquals(first, standInsOf(d.pid()), "made once per process");

        int before = d.pid();
        d.restart(cp.crid());
        assertEquals(before, d.pid());
        awaitGone(first.get(0));
        assertEquals(java.util.List.of(), standInsOf(d.pid()), "the restored process has none yet");
        assertEquals("counter 1", cmd('i'));
        d.checkpoint("three", CheckpointReason.MANUAL);
        java.util.List<Integer> again = standInsOf(d.pid());
        assertEquals(1, again.size());
        d.kill();
        awaitGone(again.get(0));
    }

    @Test
    void anExecLetsTheStandInGoWithTheOldProgramsMemory() throws Exception {
        // gdb-exec execs "gdb-loop" from its own directory: here that is steps, which waits on stdin.
        java.nio.file.Path bin = java.nio.file.Files.createDirectory(dir.resolve("bin"));
        java.nio.file.Files.copy(TestDebuggees.program("gdb-exec"), bin.resolve("gdb-exec"));
        java.nio.file.Files.copy(TestDebuggees.program("steps"), bin.resolve("gdb-loop"));
        Debuggee execer = engine.launch(new dev.rewind.backend.trace.LaunchRequest(bin.resolve("gdb-exec").toString(),
                java.util.List.of(), dir.toString(), null, java.util.List.of(dev.rewind.backend.trace.LaunchRequest.PIPE,
                        dev.rewind.backend.trace.LaunchRequest.PIPE, dev.rewind.backend.trace.LaunchRequest.PIPE)), true);
        execer.checkpoint("before the exec", CheckpointReason.MANUAL);
        java.util.List<Integer> standIn = standInsOf(execer.pid());
        assertEquals(1, standIn.size());
        execer.resume();
        assertTrue(execer.stdout().awaitLine(0, TIMEOUT).startsWith("exec "));
        assertEquals("ready", execer.stdout().awaitLine(1, TIMEOUT), "the new program runs");
        awaitGone(standIn.get(0));
        assertTrue(ProcFs.exists(execer.pid()), "gone with the exec, not with the end of the program");
        execer.kill();
    }

    /** The backend's children that share {@code pid}'s address space (other than {@code pid}). */
    private static java.util.List<Integer> standInsOf(int pid) {
        return ProcessHandle.current().children().map(h -> (int) h.pid())
                .filter(c -> c != pid && ProcFs.exists(c) && dev.rewind.backend.linux.Syscall.shareMemory(pid, c))
                .toList();
    }

    private static void awaitGone(int pid) throws InterruptedException {
        for (int i = 0; i < 200 && ProcFs.exists(pid); i++) {
            Thread.sleep(25);
        }
        assertFalse(ProcFs.exists(pid), "process " + pid + " is still there");
    }

    /**
     * The call stub through which a checkpoint's injected calls run is mapped once, at launch
     * (outside any checkpoint's downtime): checkpoints, restored processes and snapshots use the
     * same page (restored copies inherit it by the fork), never a second one.
     */
    @Test
    void theCallStubIsMappedOnceAndInherited() {
        assertEquals(1, anonymousCodePages(d.pid()), "mapped at launch");
        TimelineEntry first = d.checkpoint("first", CheckpointReason.MANUAL);
        assertEquals(1, anonymousCodePages(d.pid()));
        assertEquals(1, anonymousCodePages(d.snapshotPid(first.crid())), "the snapshot forked with the stub");
        d.checkpoint("second", CheckpointReason.MANUAL);
        assertEquals(1, anonymousCodePages(d.pid()));
        for (int round = 0; round < 2; round++) {
            d.restart(first.crid());
            TimelineEntry again = d.checkpoint("after restart " + round, CheckpointReason.MANUAL);
            assertEquals(1, anonymousCodePages(d.pid()), "the restored process reuses its inherited stub");
            assertEquals(1, anonymousCodePages(d.snapshotPid(again.crid())));
            assertEquals("counter 1", cmd('i'), "the program runs on");
            d.restart(first.crid());
        }
    }

    private static long anonymousCodePages(int pid) {
        return ProcFs.maps(pid).stream().filter(m -> m.perms().equals("r-xp") && m.path().isEmpty() && m.size() == 4096)
                .count();
    }

    @Test
    void restartOfALargeProcessLeavesNoStandInBehind() throws Exception {
        cmd('i');
        assertEquals("heap 1", cmd('h'));
        TimelineEntry cp = d.checkpoint("heap of ones", CheckpointReason.MANUAL);
        cmd('i');
        assertEquals("heap 2", cmd('h'));
        for (int round = 0; round < 2; round++) {
            d.restart(cp.crid());
            assertEquals("heap 1", cmd('c'), "the heap is the checkpoint's again");
            assertEquals("counter 2", cmd('i'));
            assertEquals("heap 2", cmd('h'), "the restored process rewrites its heap");
        }
        // The stand-ins that held the killed processes' memory end once their teardown is over:
        // only the live process and its snapshot share the program's executable now.
        String exe = TestDebuggees.program("steps").toRealPath().toString();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long running;
        do {
            running = ProcessHandle.current().children()
                    .filter(c -> exe.equals(exeOf(c.pid()))).count();
        } while (running > 2 && System.nanoTime() < deadline && sleepABit());
        assertEquals(2, running, "live process and snapshot only");
    }

    private static String exeOf(long pid) {
        try {
            return java.nio.file.Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).toString();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean sleepABit() {
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        return true;
    }

    @Test
    void restartKeepsThePidAndTheParent() {
        TestDebuggees.assumePrivileged();
        int pid = d.pid();
        TimelineEntry cp = d.checkpoint("start", CheckpointReason.MANUAL);
        int parentBefore = ProcFs.ids(pid).ppid();
        int pgidBefore = ProcFs.ids(pid).pgid();
        RestartResult r = d.restart(cp.crid());
        assertEquals(pid, r.pid());
        assertEquals(parentBefore, ProcFs.ids(pid).ppid());
        assertEquals(pgidBefore, ProcFs.ids(pid).pgid());
        assertEquals("pid " + pid + " tid " + pid, cmd('t'), "glibc's cached tid matches the kernel's");
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void fileOffsetIsBackWhereItWas() {
        assertEquals("offset 10", cmd('w'));
        assertEquals("offset 20", cmd('w'));
        TimelineEntry cp = d.checkpoint("offset 20", CheckpointReason.MANUAL);
        assertEquals("offset 30", cmd('w'));
        assertEquals("offset 40", cmd('w'));
        d.restart(cp.crid());
        assertEquals("offset 20", cmd('o'));
    }

    @Test
    void signalHandlerAndBlockedMaskSurvive() {
        assertEquals("blocked", cmd('b'));
        TimelineEntry cp = d.checkpoint("blocked", CheckpointReason.MANUAL);
        assertEquals("unblocked", cmd('u'));
        assertEquals("mask usr2=0 usr1handler=1", cmd('m'));
        d.restart(cp.crid());
        assertEquals("mask usr2=1 usr1handler=1", cmd('m'));
    }

    @Test
    void pendingSignalIsDeliveredAfterRestart() {
        assertEquals("blocked", cmd('b'));
        assertEquals("raised", cmd('p'));
        TimelineEntry cp = d.checkpoint("usr2 pending", CheckpointReason.MANUAL);
        d.restart(cp.crid());
        d.writeStdin(new byte[] {'u'});
        // Like gdb, the engine stops on SIGUSR2 before the program sees it; resuming delivers it.
        StopEvent stop = d.awaitStop(TIMEOUT).orElseThrow();
        assertEquals(StopReason.SIGNAL, stop.reason());
        assertEquals(dev.rewind.backend.linux.Signals.SIGUSR2, stop.signal());
        d.resume();
        int at = d.stdout().awaitLineStartingWith(cursor[0], "usr2", TIMEOUT);
        assertTrue(at >= cursor[0]);
    }

    @Test
    void armedItimerFiresAfterRestart() {
        assertEquals("armed", cmd('a'));
        TimelineEntry cp = d.checkpoint("timer armed", CheckpointReason.MANUAL);
        int firstAlarm = d.stdout().awaitLineStartingWith(cursor[0], "alarm", TIMEOUT);
        cursor[0] = firstAlarm + 1;
        d.restart(cp.crid());
        int again = d.stdout().awaitLineStartingWith(cursor[0], "alarm", TIMEOUT);
        assertTrue(again >= cursor[0]);
    }

    @Test
    void snapshotIsParkedAndInvisibleToTheDebuggee() {
        TimelineEntry cp = d.checkpoint("one", CheckpointReason.MANUAL);
        int snap = d.snapshotPid(cp.crid());
        assertNotEquals(d.pid(), ProcFs.ids(snap).ppid(), "the snapshot is not the debuggee's child");
        String state = ProcFs.status(snap).get("State");
        assertTrue(state.startsWith("t"), "the snapshot sits in a ptrace stop: " + state);
        assertEquals("counter 1", cmd('i'));
        assertTrue(ProcFs.status(snap).get("State").startsWith("t"));
    }

    @Test
    void unknownCridIsAClearError() {
        UnknownCheckpointException e = assertThrows(UnknownCheckpointException.class, () -> d.restart(new Crid(999)));
        assertTrue(e.getMessage().contains("999"));
        assertThrows(UnknownCheckpointException.class, () -> d.drop(new Crid(999)));
        assertEquals("counter 1", cmd('i'), "the debuggee is unharmed");
    }

    @Test
    void timelineRecordsParentsLocationsAndDrops() {
        TimelineEntry a = d.checkpoint("a", CheckpointReason.MANUAL);
        TimelineEntry b = d.checkpoint("b", CheckpointReason.BREAKPOINT);
        assertEquals(a.crid(), b.parent());
        d.restart(a.crid());
        TimelineEntry c = d.checkpoint("c", CheckpointReason.MANUAL);
        assertEquals(a.crid(), c.parent(), "a restart makes a branch from the crid it restarted");
        assertNotNull(a.threads().get(0).symbol(), "the pc is symbolized");
        assertTrue(a.downtimeMicros() > 0);
        d.drop(b.crid());
        assertEquals(2, d.timeline().size());
        int snap = d.snapshotPid(a.crid());
        d.drop(a.crid());
        assertFalse(ProcFs.exists(snap), "a dropped snapshot is gone, not a zombie");
    }
}
