package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backend.checkpoint.CheckpointReason;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.checkpoint.TimelineEntry;
import dev.rewind.backend.trace.LaunchRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gdb on a checkpoint restored from an image file by a backend that never had its snapshot. */
class GdbImageTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void gdb() {
        GdbHarness.assumeGdb();
    }

    @Test
    void gdbStopsAtACheckpointRestoredFromAnImageAndSeesItsState() throws Exception {
        Path program = GdbHarness.program("steps");
        Path image = dir.resolve("steps.rwimg");
        long crid;
        try (Engine engine = new Engine()) {
            Debuggee d = engine.launch(new LaunchRequest(program.toString(), List.of(), dir.toString(), null,
                    List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE)), false);
            int line = 0;
            assertEquals("ready", d.stdout().awaitLine(line++, Duration.ofSeconds(20)));
            for (int i = 1; i <= 3; i++) {
                d.writeStdin("i".getBytes(StandardCharsets.US_ASCII));
                d.stdout().awaitLine(line++, Duration.ofSeconds(20));
            }
            TimelineEntry cp = d.checkpoint("three", CheckpointReason.MANUAL);
            crid = cp.crid().value();
            d.writeStdin("i".getBytes(StandardCharsets.US_ASCII));
            assertEquals("counter 4", d.stdout().awaitLine(line, Duration.ofSeconds(20)));
            d.writeBack(List.of(cp.crid()), image, (a, b) -> { });
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String server = String.join(" ", java, "-cp", System.getProperty("java.class.path"), "dev.rewind.backend.cli.Main",
                "image", "restore", image.toString(), "--crid", Long.toString(crid), "--stopped");
        GdbHarness.Session s = GdbHarness.runGdb(List.of("gdb", "-batch", "-nx", "-ex", "file " + program,
                "-ex", "target extended-remote | " + server, "-ex", "print counter", "-ex", "bt", "-ex", "print counter = 40",
                "-ex", "detach"), null, null);
        assertEquals(List.of("3", "40"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        s.find("#\\d+ +[^\n]*main \\(\\) at steps.c");
    }
}
