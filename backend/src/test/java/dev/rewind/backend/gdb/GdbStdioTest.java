package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways users start it: gdb runs {@code rewind gdbserver --stdio} itself, through a pipe; or
 * {@code rewind gdbserver --socket PATH} waits on a Unix socket only its user can open.
 */
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

    @Test
    void aPrivateUnixSocketThatOnlyItsUserCanOpen() throws Exception {
        Path socket = dir.resolve("gdb.sock");
        Process server = GdbHarness.serveOnSocket(socket, "gdb-loop", dir.resolve("server.log"));
        try {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            try (var left = Files.list(dir)) {
                assertEquals(List.of("gdb.sock", "server.log"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                        "the private directory it was bound in is gone");
            }
            GdbHarness.Session s = GdbHarness.runGdb(List.of("gdb", "-batch", "-nx", "-ex", "target extended-remote " + socket,
                    "-ex", "break gdb-loop.c:12", "-ex", "continue", "-ex", "continue", "-ex", "print i"), null, null);
            assertEquals(List.of("2"), s.findAll("\\$\\d+ = (\\d+)"), s.toString());
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the gdbserver ends with its gdb");
            assertFalse(Files.exists(socket), "the socket is removed");
        } finally {
            server.destroyForcibly();
        }
        // A path that exists is never taken over.
        Files.writeString(socket, "mine");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process refused = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.rewind.backend.cli.Main",
                "gdbserver", "--socket", socket.toString(), "--", GdbHarness.program("gdb-loop").toString())
                .redirectErrorStream(true).start();
        String said = new String(refused.getInputStream().readAllBytes());
        assertTrue(refused.waitFor(30, TimeUnit.SECONDS));
        assertTrue(refused.exitValue() != 0 && said.contains("exists already"), said);
        assertEquals("mine", Files.readString(socket));
    }
}
