package dev.rewind.backend.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.linux.ProcFs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When the backend dies, no debuggee is left stopped or traced and no snapshot survives. Runs
 * a real backend JVM ({@code rewind hold}) and kills it.
 */
class BackendDeathTest {
    @ParameterizedTest
    @ValueSource(strings = {"TERM", "KILL"})
    void nothingSurvivesTheBackend(String signal) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process backend = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.rewind.backend.cli.Main", "hold", TestDebuggees.program("steps").toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(backend.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("debuggee "), "backend said: " + line);
            String[] f = line.split(" ");
            int debuggee = Integer.parseInt(f[1]);
            int snapshot = Integer.parseInt(f[3]);
            assertTrue(ProcFs.exists(debuggee) && ProcFs.exists(snapshot));
            new ProcessBuilder("kill", "-" + signal, Long.toString(backend.pid())).start().waitFor();
            assertTrue(backend.waitFor(20, TimeUnit.SECONDS), "the backend exits");
            for (int pid : List.of(debuggee, snapshot)) {
                awaitGone(pid);
            }
        } finally {
            backend.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "KILL"})
    void anAttachedProcessRunsOnAndItsSnapshotDiesWithTheBackend(String signal) throws Exception {
        Process program = new ProcessBuilder(TestDebuggees.program("steps").toString()).start();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process backend = null;
        try {
            BufferedReader programOut = new BufferedReader(new InputStreamReader(program.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("ready", programOut.readLine());
            backend = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    "dev.rewind.backend.cli.Main", "hold", "--attach", Long.toString(program.pid()))
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(backend.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("debuggee "), "backend said: " + line);
            int snapshot = Integer.parseInt(line.split(" ")[3]);
            new ProcessBuilder("kill", "-" + signal, Long.toString(backend.pid())).start().waitFor();
            assertTrue(backend.waitFor(20, TimeUnit.SECONDS), "the backend exits");
            // The snapshot (the program's child, exit signal 0) is killed, never let run.
            awaitGone(snapshot);
            // The user's program is not ours to kill: it runs on, untraced, and still answers.
            awaitUntraced((int) program.pid());
            program.getOutputStream().write('i');
            program.getOutputStream().flush();
            assertEquals("counter 1", programOut.readLine());
        } finally {
            if (backend != null) {
                backend.destroyForcibly();
            }
            program.destroyForcibly();
        }
    }

    private static void awaitUntraced(int pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String tracer = "";
        while (System.nanoTime() < deadline) {
            tracer = ProcFs.status(pid).get("TracerPid");
            if ("0".equals(tracer)) {
                return;
            }
            Thread.sleep(10);
        }
        assertEquals("0", tracer, "process " + pid + " is still traced");
    }

    /** Gone, or at most a zombie of init waiting to be reaped: never stopped, never traced. */
    private static void awaitGone(int pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!ProcFs.exists(pid)) {
                return;
            }
            try {
                String state = ProcFs.status(pid).get("State");
                if (state != null && (state.startsWith("Z") || state.startsWith("X"))) {
                    return;
                }
            } catch (RuntimeException e) {
                return;
            }
            Thread.sleep(10);
        }
        assertFalse(ProcFs.exists(pid), "process " + pid + " outlived the backend: " + ProcFs.status(pid).get("State"));
    }
}
