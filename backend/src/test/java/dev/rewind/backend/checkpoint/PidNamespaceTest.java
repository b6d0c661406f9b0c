package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.trace.LaunchRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tree program (a parent and three workers on pipes) launched in a PID namespace of its own:
 * restarts give it its pids back as it sees them, even when its old pids in the backend's
 * namespace belong to someone else by then.
 */
class PidNamespaceTest {
    private Engine engine;
    private Debuggee d;
    private int line;

    @BeforeEach
    void setUp() {
        TestDebuggees.assumePrivileged();
        engine = new Engine();
        d = engine.launch(new LaunchRequest(TestDebuggees.program("tree").toString(), List.of(), null, null,
                List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE), true), false);
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }

    private String cmd(char c) {
        d.writeStdin(String.valueOf(c).getBytes(StandardCharsets.US_ASCII));
        return d.stdout().awaitLine(line++, TIMEOUT);
    }

    /** The pids of {@code pid} in each namespace, the backend's first (/proc/PID/status NSpid). */
    private static List<Integer> nsPids(int pid) {
        List<Integer> out = new ArrayList<>();
        for (String f : ProcFs.status(pid).get("NSpid").trim().split("\\s+")) {
            out.add(Integer.parseInt(f));
        }
        return out;
    }

    /** Each process of the live tree as its namespace sees it: pid/ppid. */
    private List<String> innerTree() {
        List<String> out = new ArrayList<>();
        for (ProcessInfo p : d.tree()) {
            List<Integer> ids = nsPids(p.pid());
            int ppid = nsPids(p.ppid()).get(nsPids(p.ppid()).size() - 1);
            out.add(ids.get(ids.size() - 1) + "/" + ppid);
        }
        out.subList(1, out.size()).sort(null); // the workers in pid order: the backend's pids, which order tree(), are new ones
        return out;
    }

    @Test
    void theProgramIsPid2UnderOurInitAndItsRestartsKeepItsPidsTwice() {
        assertEquals("ready 3 4 5", d.stdout().awaitLine(line++, TIMEOUT), "the workers' pids as the parent sees them");
        List<Integer> root = nsPids(d.pid());
        assertEquals(List.of(d.pid(), 2), root, "pid 2 of a namespace one below the backend's");
        int init = ProcFs.ids(d.pid()).ppid();
        assertEquals(List.of(init, 1), nsPids(init), "its parent is the namespace's init");
        cmd('n');
        cmd('n');
        TimelineEntry cp = d.checkpoint("after 2 steps", CheckpointReason.MANUAL);
        List<String> tree = innerTree();
        assertEquals(List.of("2/1", "3/2", "4/2", "5/2"), tree);
        List<String> firstRun = List.of(cmd('n'), cmd('n'));
        for (int run = 0; run < 2; run++) {
            RestartResult r = d.restart(cp.crid());
            assertTrue(r.warnings().isEmpty(), r.warnings().toString());
            assertEquals(tree, innerTree(), "the same pids and parents inside the namespace, restart " + run);
            assertEquals(firstRun, List.of(cmd('n'), cmd('n')), "restart " + run);
        }
        d.writeStdin("q".getBytes(StandardCharsets.US_ASCII));
        assertEquals("workers 1:10 1:11 1:12", d.stdout().awaitLine(line++, TIMEOUT),
                "the parent's waitpid(pid) finds each restored worker by the pid it knew");
        engine.close();
        engine = null;
        assertFalse(ProcFs.exists(init), "the namespace's init (and with it the namespace) is gone with the backend");
    }

    @Test
    void aRestartSucceedsWhileAnotherProcessHoldsTheProgramsOldPid() throws Exception {
        assertEquals("ready 3 4 5", d.stdout().awaitLine(line++, TIMEOUT));
        TimelineEntry cp = d.checkpoint("start", CheckpointReason.MANUAL);
        int oldPid = d.pid();
        d.writeStdin("q".getBytes(StandardCharsets.US_ASCII));
        d.stdout().awaitLine(line++, TIMEOUT);
        d.exit().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Process squatter = takePid(oldPid);
        try {
            d.restart(cp.crid());
            assertEquals(2, nsPids(d.pid()).get(1), "pid 2 inside its namespace again");
            assertTrue(d.pid() != oldPid);
        } finally {
            squatter.destroyForcibly();
        }
    }

    /**
     * Starts a process that gets {@code pid} in the backend's namespace (root: ns_last_pid). Other
     * processes fork too, so it tries a few times.
     */
    private static Process takePid(int pid) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Integer.toString(pid - 1));
            Process p = new ProcessBuilder("sleep", "60").start();
            if (p.pid() == pid) {
                return p;
            }
            p.destroyForcibly().waitFor();
        }
        throw new AssertionError("could not get pid " + pid + " for another process");
    }
}
