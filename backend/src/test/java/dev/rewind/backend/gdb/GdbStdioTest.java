package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The way users start it: gdb runs {@code rewind gdbserver --stdio} itself, through a pipe. */
class GdbStdioTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void gdb() {
        GdbHarness.assumeGdb();
    }

    @Test
    void targetExtendedRemoteThroughAPipe() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String server = String.join(" ", java, "-cp", System.getProperty("java.class.path"),
                "dev.rewind.backend.cli.Main", "gdbserver", "--stdio", "--", GdbHarness.program("gdb-loop").toString());
        List<String> argv = List.of("gdb", "-batch", "-nx", "-x", GdbHarness.script(dir).toString(),
                "-ex", "target extended-remote | " + server,
                "-ex", "break gdb-loop.c:12", "-ex", "continue", "-ex", "continue", "-ex", GdbHarness.checkpointAsCp("two"),
                "-ex", "continue", "-ex", "eval \"rw-restart %d\", $cp", "-ex", "print i", "-ex", "print total",
                "-ex", "info inferiors");
        GdbHarness.Session s = GdbHarness.runGdb(argv, null, null);
        assertEquals(List.of("2", "1"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
        int pid = Integer.parseInt(s.find("process (\\d+)"));
        // gdb -batch kills the program at the end; the gdbserver then exits and takes its snapshots along.
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), s.toString());
    }
}
