package dev.rewind.backend.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shipped examples: replay scripts through {@code rewind replay}, the Python client through {@code serve --stdio}. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RpcExamplesTest {
    @TempDir
    Path dir;

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.rewind.backend.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private record Run(int status, String output) {
    }

    private static Run run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void replayExamplesPass() throws Exception {
        for (String script : List.of("counter-restarts.json", "flaky-failure.json")) {
            Run r = run(java("replay", Examples.root().resolve("examples/replay/" + script).toString(),
                    "--set", "bin=" + Examples.bin()));
            assertEquals(0, r.status(), script + ":\n" + r.output());
            assertTrue(r.output().contains("PASS"), r.output());
        }
    }

    @Test
    void anImageWrittenByAReplayIsListedVerifiedAndRestoredFromTheCommandLine() throws Exception {
        Path script = dir.resolve("image.json");
        Path image = dir.resolve("run.rwi");
        Files.writeString(script, """
                {"steps": [
                  {"launch": {"program": "${bin}/counter", "args": ["5"], "stopAtEntry": true}},
                  {"wait": {"reason": "entry"}},
                  {"checkpoint": {"label": "at entry"}, "as": "cp"},
                  {"writeBack": {"path": "${out}"}},
                  {"kill": {}}
                ]}
                """);
        Run replay = run(java("replay", script.toString(), "--set", "bin=" + Examples.bin(), "--set", "out=" + image));
        assertEquals(0, replay.status(), replay.output());
        Run list = run(java("image", "list", image.toString()));
        assertEquals(0, list.status(), list.output());
        assertTrue(list.output().contains("at entry"), list.output());
        assertEquals(0, run(java("image", "verify", image.toString())).status());
        // The program at its entry, restored by another backend: it runs its whole course from there.
        Run restored = run(java("image", "restore", image.toString(), "--crid", "1"));
        assertEquals(15, restored.status(), restored.output());
        assertTrue(restored.output().contains("tick 5 total 15"), restored.output());

        byte[] whole = Files.readAllBytes(image);
        Files.write(image, java.util.Arrays.copyOf(whole, whole.length - 1));
        Run bad = run(java("image", "verify", image.toString()));
        assertEquals(1, bad.status(), bad.output());
        assertTrue(bad.output().contains("no image trailer"), bad.output());
    }

    @Test
    void aFailedAssertionFailsTheReplay() throws Exception {
        Path script = dir.resolve("wrong.json");
        Files.writeString(script, """
                {"steps": [
                  {"launch": {"program": "${bin}/counter", "stopAtEntry": true}},
                  {"wait": {"reason": "entry"}},
                  {"read": {"symbol": "total", "length": 8}, "expect": {"int": 42}}
                ]}
                """);
        Run r = run(java("replay", script.toString(), "--set", "bin=" + Examples.bin()));
        assertEquals(1, r.status(), r.output());
        assertTrue(r.output().contains("FAIL at step 3: expected int 42, read 0"), r.output());

        Files.writeString(script, "{\"steps\": [{\"frobnicate\": {}}]}");
        assertEquals(2, run(java("replay", script.toString())).status());
    }

    @Test
    void pythonClientDrivesCheckpointRestartOverStdio() throws Exception {
        Assumptions.assumeTrue(onPath("python3"), "python3 is not installed");
        String server = String.join(" ", java("serve", "--stdio"));
        Run r = run(List.of("python3", Examples.root().resolve("examples/python/checkpoint_restart.py").toString(),
                "--server", server, Examples.program("counter")));
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("PASS"), r.output());
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
