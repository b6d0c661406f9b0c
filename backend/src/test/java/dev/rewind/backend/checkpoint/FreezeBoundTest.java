package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.trace.FreezeTimeoutException;
import org.junit.jupiter.api.Test;

/** A task that cannot be stopped (a vfork parent) is reported within the bound; nothing hangs. */
class FreezeBoundTest {
    @Test
    void vforkParentIsReportedAndTheProgramCarriesOn() throws InterruptedException {
        try (Engine engine = new Engine()) {
            Debuggee d = TestDebuggees.launch(engine, "vforker", null);
            assertEquals("ready", d.stdout().awaitLine(0, TIMEOUT));
            awaitState(d.pid(), "D");
            FreezeTimeoutException e = assertThrows(FreezeTimeoutException.class,
                    () -> d.checkpoint("in vfork", CheckpointReason.MANUAL));
            assertTrue(e.getMessage().contains("vfork"), e.getMessage());
            d.writeStdin(new byte[] {'x'});
            assertEquals("child done", d.stdout().awaitLine(1, TIMEOUT), "the tree was let go");
        }
    }

    private static void awaitState(int pid, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcFs.status(pid).get("State").startsWith(prefix)) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("process " + pid + " never reached state " + prefix);
    }
}
