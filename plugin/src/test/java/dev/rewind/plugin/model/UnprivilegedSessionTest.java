package dev.rewind.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.plugin.BackendPreferences;
import dev.rewind.plugin.RewindPlugin;
import dev.rewind.plugin.TestWorkbench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.debug.core.ILaunch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * IDE users run unprivileged: the backend (and so the program) runs as user nobody here, with no
 * capability. Breakpoints, variables and checkpoints work; a restart cannot keep the program's
 * pid (no CAP_CHECKPOINT_RESTORE), goes ahead for a single-threaded program, and the console
 * says why. Needs root to become nobody: CI runs as root; elsewhere it is skipped, saying so.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UnprivilegedSessionTest {
    private static final int NOBODY = 65534;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private ILaunch launch;
    private Path home;

    @AfterEach
    void tearDown() throws Exception {
        TestWorkbench.cleanUp(launch);
        TestWorkbench.prepare(); // the built backend again, for the other tests
        if (home != null) {
            new ProcessBuilder("rm", "-rf", home.toString()).start().waitFor();
        }
    }

    @Test
    void aBackendWithoutPrivilegesRestartsASingleThreadedProgramAndSaysThePidChanged() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to run the backend as user nobody (CI runs as root)");
        TestWorkbench.prepare();
        home = Files.createTempDirectory("rewind-nobody-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path jar = home.resolve("rewind.jar");
        Files.copy(TestWorkbench.BACKEND.getParent().resolve("backend/target/rewind.jar"), jar);
        Path program = home.resolve("gdb-loop");
        Files.copy(TestWorkbench.PROGRAM, program, StandardCopyOption.COPY_ATTRIBUTES);
        Path backend = home.resolve("rewind-as-nobody");
        Files.writeString(backend, "#!/bin/sh\nexec setpriv --reuid=" + NOBODY + " --regid=" + NOBODY
                + " --clear-groups env HOME=" + home + " java -jar " + jar + " \"$@\"\n");
        Files.setPosixFilePermissions(backend, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(0, new ProcessBuilder("chown", "-R", NOBODY + ":" + NOBODY, home.toString()).start().waitFor());
        InstanceScope.INSTANCE.getNode(RewindPlugin.ID).put(BackendPreferences.BACKEND_PATH, backend.toString());

        new RewindLineBreakpoint(ResourcesPlugin.getWorkspace().getRoot(), TestWorkbench.SOURCE.toString(), 12);
        launch = TestWorkbench.launch("gdb-loop as nobody", program, false, true);
        RewindDebugTarget target = (RewindDebugTarget) launch.getDebugTarget();
        assertNotNull(target);
        String uid = Files.readAllLines(Path.of("/proc", Long.toString(pidOf(target)), "status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElse("");
        assertTrue(uid.contains("\t" + NOBODY + "\t"), "the program does not run as nobody: " + uid);

        awaitValue(target, "1");
        long crid = target.checkpoint("as nobody");
        target.resume();
        awaitValue(target, "2");
        target.restart(crid);
        awaitValue(target, "1");
        String console = target.getProcess().getStreamsProxy().getErrorStreamMonitor().getContents();
        assertTrue(console.contains("could not be kept"), "the console does not say the pid changed:\n" + console);
    }

    private static long pidOf(RewindDebugTarget t) {
        String label = t.getProcess().getLabel(); // "... [Rewind session N, pid P]"
        return Long.parseLong(label.substring(label.lastIndexOf("pid ") + 4, label.length() - 1));
    }

    private static void awaitValue(RewindDebugTarget t, String value) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            if (t.isSuspended() && t.getThreads().length > 0) {
                try {
                    last = DebugSessionTest.value(t.getThreads()[0].getTopStackFrame(), "i");
                    if (value.equals(last)) {
                        return;
                    }
                } catch (Exception | AssertionError e) {
                    last = e.getMessage(); // between two stops
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("i never became " + value + " (last: " + last + ")");
    }
}
