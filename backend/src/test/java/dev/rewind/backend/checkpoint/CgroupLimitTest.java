package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.linux.LinuxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A snapshot is a process and counts against the debuggee's cgroup: a refused fork is reported, not fatal. */
class CgroupLimitTest {
    private static final Path PIDS = Path.of("/sys/fs/cgroup/pids");

    @Test
    void refusedSnapshotForkIsAClearErrorAndTheDebuggeeRunsOn() throws Exception {
        Assumptions.assumeTrue(Files.isWritable(PIDS),
                "skipped: needs a writable cgroup v1 pids hierarchy at " + PIDS + " (root)");
        Path group = PIDS.resolve("rewind-test-" + ProcessHandle.current().pid());
        Files.createDirectories(group);
        try (Engine engine = new Engine()) {
            Debuggee d = TestDebuggees.launch(engine, "steps", Files.createTempDirectory("rewind-cg"));
            assertEquals("ready", d.stdout().awaitLine(0, TIMEOUT));
            Files.writeString(group.resolve("pids.max"), "1");
            Files.writeString(group.resolve("cgroup.procs"), Integer.toString(d.pid()));
            LinuxException e = assertThrows(LinuxException.class, () -> d.checkpoint("refused", CheckpointReason.MANUAL));
            assertTrue(e.getMessage().contains("pids.max"), e.getMessage());
            assertTrue(d.timeline().isEmpty());
            d.writeStdin(new byte[] {'i'});
            assertEquals("counter 1", d.stdout().awaitLine(1, TIMEOUT), "the debuggee runs on");
            Files.writeString(PIDS.resolve("cgroup.procs"), Integer.toString(d.pid()));
        } finally {
            Files.deleteIfExists(group);
        }
    }
}
