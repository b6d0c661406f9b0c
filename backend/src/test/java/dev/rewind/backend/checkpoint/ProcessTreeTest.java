package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A parent with three workers on pipes, checkpointed and restarted as one tree. */
class ProcessTreeTest {
    private Engine engine;
    private Debuggee d;
    private int line;

    @BeforeEach
    void setUp() {
        TestDebuggees.assumePrivileged();
        engine = new Engine();
        d = TestDebuggees.launch(engine, "tree", null);
        assertTrue(d.stdout().awaitLine(line++, TIMEOUT).startsWith("ready"));
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }

    private String step() {
        d.writeStdin("n".getBytes(StandardCharsets.US_ASCII));
        return d.stdout().awaitLine(line++, TIMEOUT);
    }

    @Test
    void sharedMemoryComesBackWithItsCheckpointValueAndStaysShared() {
        engine.close();
        engine = new Engine();
        d = TestDebuggees.launch(engine, "shared", null);
        line = 0;
        assertEquals("ready", d.stdout().awaitLine(line++, TIMEOUT));
        assertEquals("counter 1", cmd('p'));
        assertEquals("counter 2", cmd('c'));
        TimelineEntry cp = d.checkpoint("counter 2", CheckpointReason.MANUAL);
        assertEquals("counter 3", cmd('p'));
        assertEquals("counter 4", cmd('c'));
        RestartResult r = d.restart(cp.crid());
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        assertEquals("counter 3", cmd('p'), "the parent sees the checkpoint's value");
        assertEquals("counter 4", cmd('c'), "the child adds to the same shared counter");
        assertEquals("counter 5", cmd('p'));
        d.writeStdin("q".getBytes(StandardCharsets.US_ASCII));
        assertEquals("child 1", d.stdout().awaitLine(line++, TIMEOUT));
    }

    private String cmd(char c) {
        d.writeStdin(String.valueOf(c).getBytes(StandardCharsets.US_ASCII));
        return d.stdout().awaitLine(line++, TIMEOUT);
    }

    @Test
    void bytesInFlightInPipesAreThereAgainAfterRestart() throws InterruptedException {
        step();
        assertEquals("sent", cmd('h'));
        TestDebuggees.awaitBufferedAnswers(d, 3 * 8);
        TimelineEntry cp = d.checkpoint("answers in the pipes", CheckpointReason.MANUAL);
        String first = cmd('r');
        assertTrue(first.startsWith("step 2 "), first);
        for (int run = 0; run < 2; run++) {
            d.restart(cp.crid());
            assertEquals(first, cmd('r'), "the answers that sat in the pipes are read again");
        }
    }

    @Test
    void shellPipelineRestartedMidStreamWritesWhatACleanRunWrites(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        engine.close();
        engine = new Engine();
        String p = TestDebuggees.program("pipeline").toString();
        d = engine.launch(new dev.rewind.backend.trace.LaunchRequest("/bin/sh",
                List.of("-c", p + " produce | " + p + " filter | " + p + " consume out.txt"), dir.toString(), null,
                List.of(dev.rewind.backend.trace.LaunchRequest.PIPE, dev.rewind.backend.trace.LaunchRequest.PIPE,
                        dev.rewind.backend.trace.LaunchRequest.PIPE)), false);
        line = 0;
        List<String> clean = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            clean.add(Long.toString((long) n * n + 1));
        }
        feed(3);
        awaitTree(4);
        TimelineEntry cp = d.checkpoint("3 through", CheckpointReason.MANUAL);
        assertEquals(4, cp.processes().size(), "sh and its three stages: " + cp.processes());
        feed(2);
        for (int run = 0; run < 2; run++) {
            RestartResult r = d.restart(cp.crid());
            assertTrue(r.warnings().stream().noneMatch(w -> w.contains("not restored")), r.warnings().toString());
            line = d.stdout().lineCount(); // every line of the earlier run was awaited before the restart
            feed(3);
            assertEquals(clean, java.nio.file.Files.readAllLines(dir.resolve("out.txt")),
                    "the file holds what a clean run writes, restart " + run);
        }
    }

    /** Sends {@code n} bytes to the producer and waits for the consumer to report each. */
    private void feed(int n) {
        d.writeStdin("x".repeat(n).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < n; i++) {
            assertTrue(d.stdout().awaitLine(line++, TIMEOUT).startsWith("got "));
        }
    }

    private void awaitTree(int size) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (d.tree().size() != size && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(size, d.tree().size(), d.tree().toString());
    }

    @Test
    void anUnreapedChildComesBackAsAZombieThatItsParentCanReap() throws InterruptedException {
        engine.close();
        engine = new Engine();
        d = TestDebuggees.launch(engine, "zombie", null);
        int child = Integer.parseInt(d.stdout().awaitLine(0, TIMEOUT).split(" ")[1]);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (dev.rewind.backend.linux.ProcFs.exists(child)
                && !dev.rewind.backend.linux.ProcFs.status(child).get("State").startsWith("Z")
                && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        TimelineEntry cp = d.checkpoint("with a zombie", CheckpointReason.MANUAL);
        line = 1;
        for (int round = 0; round < 2; round++) {
            RestartResult r = d.restart(cp.crid());
            assertTrue(r.warnings().isEmpty(), r.warnings().toString());
            assertTrue(dev.rewind.backend.linux.ProcFs.status(child).get("State").startsWith("Z"), "a zombie again");
            assertEquals(d.pid(), dev.rewind.backend.linux.ProcFs.ids(child).ppid());
            d.writeStdin("w".getBytes(StandardCharsets.US_ASCII));
            assertEquals("reaped " + child + " status 3", d.stdout().awaitLine(line++, TIMEOUT),
                    "its parent reaps it with its exit status");
        }
    }

    /** Anonymous shared memory, a memfd (no path), a /dev/shm file and a SysV segment, both removed once mapped. */
    @ParameterizedTest
    @ValueSource(strings = {"anonymous", "memfd", "devshm", "sysv"})
    void sharedMemoryAChildMadeAfterItsForkIsSharedWithItsOwnChildAgain(String kind) {
        engine.close();
        engine = new Engine();
        d = TestDebuggees.launch(engine, "sharedlate", kind.equals("anonymous") ? List.of() : List.of(kind), null);
        line = 0;
        assertEquals("ready", d.stdout().awaitLine(line++, TIMEOUT));
        assertEquals("g 1", cmd('g'));
        assertEquals("c 2", cmd('c'));
        TimelineEntry cp = d.checkpoint("counter at 2", CheckpointReason.MANUAL);
        assertEquals("g 3", cmd('g'));
        for (int round = 0; round < 2; round++) {
            RestartResult r = d.restart(cp.crid());
            assertTrue(r.warnings().stream().noneMatch(w -> w.contains("private copy")), r.warnings().toString());
            assertEquals("g 3", cmd('g'), "the checkpoint's value");
            assertEquals("c 4", cmd('c'), "shared between the two again, not a private copy each");
        }
    }

    @Test
    void treeListsTheParentAndItsWorkers() {
        List<ProcessInfo> tree = d.tree();
        assertEquals(4, tree.size(), tree.toString());
        int root = d.pid();
        assertEquals(root, tree.get(0).pid());
        for (ProcessInfo p : tree.subList(1, 4)) {
            assertEquals(root, p.ppid());
            assertEquals(tree.get(0).pgid(), p.pgid());
        }
    }

    @Test
    void restartRecreatesEveryWorkerUnderItsParentTwice() {
        List<String> firstRun = new ArrayList<>();
        step();
        step();
        TimelineEntry cp = d.checkpoint("after 2 steps", CheckpointReason.MANUAL);
        assertEquals(4, cp.processes().size(), "the whole tree");
        List<ProcessInfo> before = d.tree();
        for (int i = 0; i < 3; i++) {
            firstRun.add(step());
        }
        for (int run = 0; run < 2; run++) {
            RestartResult r = d.restart(cp.crid());
            assertTrue(r.warnings().stream().noneMatch(w -> w.contains("not restored")), r.warnings().toString());
            List<ProcessInfo> after = d.tree();
            assertEquals(before.stream().map(p -> p.pid() + "/" + p.ppid() + "/" + p.pgid()).toList(),
                    after.stream().map(p -> p.pid() + "/" + p.ppid() + "/" + p.pgid()).toList(),
                    "same pids, parents and groups");
            for (int i = 0; i < 3; i++) {
                assertEquals(firstRun.get(i), step(), "step " + (i + 3) + " after restart " + run);
            }
        }
        d.writeStdin("q".getBytes(StandardCharsets.US_ASCII));
        assertEquals("workers 1:10 1:11 1:12", d.stdout().awaitLine(line++, TIMEOUT),
                "the parent's waitpid(pid) finds each restored worker");
    }
}
