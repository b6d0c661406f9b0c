package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** A process of the tree stopped by job control says so, instead of hanging in silence. */
class JobControlStopTest {
    @Test
    void aBackgroundGroupReadingItsTerminalShowsSigttinInTheTree() {
        try (Engine engine = new Engine()) {
            Debuggee d = TestDebuggees.launch(engine, "ttyreader", null);
            String line = d.stdout().awaitLine(1, TIMEOUT);
            assertTrue(line.startsWith("reader "), line);
            int reader = Integer.parseInt(line.substring("reader ".length()));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            String state = "";
            while (System.nanoTime() < deadline) {
                List<ProcessInfo> tree = d.tree();
                state = tree.stream().filter(p -> p.pid() == reader).map(ProcessInfo::state).findFirst().orElse("");
                if (state.contains("SIGTTIN")) {
                    break;
                }
                LockSupport.parkNanos(20_000_000); // the read and its SIGTTIN happen in the debuggee's own time
            }
            assertTrue(state.contains("stop") && state.contains("by SIGTTIN") && state.contains("background process group"),
                    state);
        }
    }

    @Test
    void aRestoredSessionLeaderTakesItsTerminalAndForegroundGroupBack() throws Exception {
        TestDebuggees.assumePrivileged();
        try (Engine engine = new Engine()) {
            Debuggee d = TestDebuggees.launch(engine, "ttyreader", null);
            String first = d.stdout().awaitLine(0, TIMEOUT);
            assertTrue(first.startsWith("leader "), first);
            int leader = Integer.parseInt(first.substring("leader ".length()));
            int reader = Integer.parseInt(d.stdout().awaitLine(1, TIMEOUT).substring("reader ".length()));
            awaitState(d, reader, "SIGTTIN");
            dev.rewind.backend.linux.ProcFs.ProcessIds before = dev.rewind.backend.linux.ProcFs.ids(leader);
            assertTrue(before.ttyNr() != 0 && before.foregroundPgid() == leader, before.toString());
            TimelineEntry cp = d.checkpoint("terminal", CheckpointReason.MANUAL);

            RestartResult r = d.restart(cp.crid());
            assertTrue(r.warnings().stream().noneMatch(w -> w.contains("terminal")), r.warnings().toString());
            dev.rewind.backend.linux.ProcFs.ProcessIds after = dev.rewind.backend.linux.ProcFs.ids(leader);
            assertEquals(before.sid(), after.sid());
            assertEquals(before.ttyNr(), after.ttyNr(), "the same controlling terminal");
            assertEquals(before.foregroundPgid(), after.foregroundPgid(), "the same foreground group");
            awaitState(d, reader, "SIGTTIN"); // a background reader again, as at the checkpoint
        }
    }

    @Test
    void aProcessStoppedBySigstopIsStoppedAgainAfterARestart() {
        TestDebuggees.assumePrivileged();
        try (Engine engine = new Engine()) {
            Debuggee d = engine.launch(new dev.rewind.backend.trace.LaunchRequest("/bin/sh",
                    List.of("-c", "sleep 100 & kill -STOP $!; echo stopped $!; wait"), null, null,
                    List.of(dev.rewind.backend.trace.LaunchRequest.PIPE, dev.rewind.backend.trace.LaunchRequest.PIPE,
                            dev.rewind.backend.trace.LaunchRequest.PIPE)), false);
            String line = d.stdout().awaitLine(0, TIMEOUT);
            assertTrue(line.startsWith("stopped "), line);
            int sleeper = Integer.parseInt(line.substring("stopped ".length()));
            awaitState(d, sleeper, "by SIGSTOP");
            TimelineEntry cp = d.checkpoint("sleeper stopped", CheckpointReason.MANUAL);
            RestartResult r = d.restart(cp.crid());
            assertTrue(r.warnings().isEmpty(), r.warnings().toString());
            awaitState(d, sleeper, "by SIGSTOP");
        }
    }

    private static void awaitState(Debuggee d, int pid, String part) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = d.tree().stream().filter(p -> p.pid() == pid).map(ProcessInfo::state).findFirst().orElse("");
            if (state.contains(part)) {
                return;
            }
            LockSupport.parkNanos(20_000_000);
        }
        String status;
        try {
            status = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/status"))
                    + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/wchan"));
        } catch (java.io.IOException e) {
            status = e.toString();
        }
        assertTrue(state.contains(part), "process " + pid + ": " + state + "\n" + status);
    }
}
