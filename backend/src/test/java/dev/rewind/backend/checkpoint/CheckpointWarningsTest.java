package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fork cannot rewind is listed on the checkpoint, never silently wrong: the
 * {@code unrewound} debuggee holds one of each kind.
 */
class CheckpointWarningsTest {
    @TempDir
    Path dir;

    @Test
    void everyKindOfStateAForkCannotRewindIsNamedOnTheCheckpoint() {
        try (Engine engine = new Engine()) {
            Debuggee d = TestDebuggees.launch(engine, "unrewound", dir);
            assertEquals("ready", d.stdout().awaitLine(0, TIMEOUT));
            List<String> warnings = d.checkpoint("with everything", CheckpointReason.MANUAL).warnings();
            for (String expected : List.of("holds file locks", "opened O_APPEND", "is a socket", "eventfd", "timerfd",
                    "an epoll set", "POSIX timer", "locked memory", "MADV_WIPEONFORK", "MADV_DONTFORK")) {
                assertTrue(warnings.stream().anyMatch(w -> w.contains(expected)), expected + " missing from " + warnings);
            }
            assertEquals(1, warnings.stream().filter(w -> w.contains("holds file locks")).count(),
                    "only the locked file's descriptor: " + warnings);
            d.restart(d.timeline().get(0).crid()); // the warnings say what is lost; the restart goes ahead
            assertTrue(d.pid() > 0);
        }
    }
}
