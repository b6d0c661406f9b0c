package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.linux.ProcFs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checkpoint and restart of multi-threaded debuggees; needs pid-preserving restore. */
class MultiThreadCheckpointTest {
    private Engine engine;

    @BeforeEach
    void setUp() {
        TestDebuggees.assumePrivileged();
        engine = new Engine();
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void fourThreadsRestartTwiceWithConsistentTotalsAndTheSameTids() {
        Debuggee d = TestDebuggees.launch(engine, "threads", null);
        assertTrue(d.stdout().awaitLine(0, TIMEOUT).startsWith("started"));
        TimelineEntry cp = d.checkpoint("mid-run", CheckpointReason.MANUAL);
        List<Integer> tids = cp.threads().stream().map(ThreadLocation::tid).toList();
        assertEquals(5, tids.size(), "main and four workers");
        assertTrue(d.stdout().awaitLine(1, Duration.ofSeconds(60)).endsWith("ok"));

        for (int run = 0; run < 2; run++) {
            RestartResult r = d.restart(cp.crid());
            assertEquals(tids, r.tids(), "same pid and tids as at the checkpoint");
            assertEquals(tids.stream().sorted().toList(), ProcFs.tasks(r.pid()).stream().sorted().toList());
            String last = d.stdout().awaitLine(2 + run, Duration.ofSeconds(60));
            assertTrue(last.endsWith("ok"), last);
        }
    }

    @Test
    void avxRegistersOfEachThreadComeBackExactly() {
        Debuggee d = TestDebuggees.launch(engine, "avx", null);
        assertEquals("spinning", d.stdout().awaitLine(0, TIMEOUT));
        TimelineEntry cp = d.checkpoint("spinning", CheckpointReason.MANUAL);
        long go = d.symbolAddress("go");
        dev.rewind.backend.linux.ProcessMemory.write(d.pid(), go, new byte[] {1, 0, 0, 0});
        d.stdout().awaitLine(2, TIMEOUT);
        d.restart(cp.crid());
        dev.rewind.backend.linux.ProcessMemory.write(d.pid(), go, new byte[] {1, 0, 0, 0});
        List<String> after = List.of(d.stdout().awaitLine(3, TIMEOUT), d.stdout().awaitLine(4, TIMEOUT));
        assertTrue(after.contains("worker 101.0 101.0 102.0 102.0 103.0 103.0"), after.toString());
        assertTrue(after.contains("main 201.0 201.0 202.0 202.0 203.0 203.0"), after.toString());
    }

    @Test
    void threadsBlockedInReadAndNanosleepCarryOn() throws InterruptedException {
        Debuggee d = TestDebuggees.launch(engine, "blockers", null);
        int reader = Integer.parseInt(d.stdout().awaitLine(0, TIMEOUT).split(" ")[1]);
        int sleeperLine = d.stdout().awaitLineStartingWith(1, "sleeper", TIMEOUT);
        int sleeper = Integer.parseInt(d.stdout().lines().get(sleeperLine).split(" ")[1]);
        awaitSyscall(d.pid(), reader, 0); // read
        awaitSyscall(d.pid(), sleeper, 230, 35); // clock_nanosleep or nanosleep
        TimelineEntry cp = d.checkpoint("blocked", CheckpointReason.MANUAL);
        d.restart(cp.crid());
        int from = d.stdout().lineCount();
        d.writeStdin("hello".getBytes(StandardCharsets.US_ASCII));
        d.stdout().awaitLineStartingWith(from, "read hello", TIMEOUT);
        int slept = d.stdout().awaitLineStartingWith(from, "slept", TIMEOUT);
        d.stdout().awaitLineStartingWith(slept + 1, "slept", TIMEOUT);
    }

    private static void awaitSyscall(int pid, int tid, long... numbers) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            long nr = ProcFs.currentSyscall(pid, tid);
            for (long n : numbers) {
                if (nr == n) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("thread " + tid + " never blocked in syscall " + java.util.Arrays.toString(numbers));
    }
}
