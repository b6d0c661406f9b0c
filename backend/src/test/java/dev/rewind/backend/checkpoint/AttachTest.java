package dev.rewind.backend.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.linux.ProcFs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process we attached to is checkpointed, then let go (not killed) when the backend closes. */
class AttachTest {
    @TempDir
    Path dir;

    @Test
    void attachedProcessIsCheckpointedAndLeftRunningAndUntracedAtClose() throws Exception {
        // Not a child of this JVM: its process reaper would consume the tracee's stop reports
        // (the kernel lets the real parent wait for ptrace stops when it shares the tracer's
        // thread group). A shell in between is the parent, as in real use.
        Process p = new ProcessBuilder("sh", "-c", "\"$0\"; exit $?", TestDebuggees.program("steps").toString())
                .directory(dir.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            OutputStream in = p.getOutputStream();
            assertEquals("ready", out.readLine());
            int pid = Integer.parseInt(java.nio.file.Files.readString(
                    Path.of("/proc", Long.toString(p.pid()), "task", Long.toString(p.pid()), "children")).trim());
            try (Engine engine = new Engine()) {
                Debuggee d = engine.attach(pid);
                assertTrue(ProcFs.status(pid).get("State").startsWith("t"), "stopped after attach");
                TimelineEntry cp = d.checkpoint("attached", CheckpointReason.MANUAL);
                assertTrue(cp.warnings().stream().anyMatch(w -> w.startsWith("attached process")));
                d.resume();
                in.write('i');
                in.flush();
                assertEquals("counter 1", out.readLine());
            }
            assertEquals("0", ProcFs.status(pid).get("TracerPid"), "no longer traced");
            in.write('i');
            in.flush();
            assertEquals("counter 2", out.readLine(), "still running after the backend let go");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void releaseDetachesAnAttachedProcessWhileTheBackendRunsOn() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "\"$0\"; exit $?", TestDebuggees.program("steps").toString())
                .directory(dir.toFile()).start();
        try (Engine engine = new Engine()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            int pid = Integer.parseInt(java.nio.file.Files.readString(
                    Path.of("/proc", Long.toString(p.pid()), "task", Long.toString(p.pid()), "children")).trim());
            Debuggee d = engine.attach(pid);
            TimelineEntry cp = d.checkpoint("attached", CheckpointReason.MANUAL);
            int snapshot = d.snapshotPid(cp.crid());
            engine.release(d);
            assertEquals("0", ProcFs.status(pid).get("TracerPid"), "detached");
            // A snapshot of an attached process is that process's child: killed, it stays a zombie
            // until its parent (which never sees it: exit signal 0) ends.
            assertTrue(!ProcFs.exists(snapshot) || ProcFs.status(snapshot).get("State").startsWith("Z"),
                    "its snapshot is dead");
            assertTrue(engine.debuggees().isEmpty());
            p.getOutputStream().write('i');
            p.getOutputStream().flush();
            assertEquals("counter 1", out.readLine());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void attachingToNoProcessIsAClearError() {
        try (Engine engine = new Engine()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.attach(999_999_999));
            assertTrue(e.getMessage().contains("no such process"));
        }
    }
}
