package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
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
            String line = d.stdout().awaitLine(0, TIMEOUT);
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
}
