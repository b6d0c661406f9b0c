package dev.rewind.backend.rpc;

import static dev.rewind.backend.rpc.Rpc.errorCode;
import static dev.rewind.backend.rpc.Rpc.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.RewindServer;
import dev.rewind.protocol.checkpoint.CridParams;
import dev.rewind.protocol.checkpoint.RestartResult;
import dev.rewind.protocol.session.GdbServerInfo;
import dev.rewind.protocol.session.LaunchParams;
import dev.rewind.protocol.session.ListSessionsParams;
import dev.rewind.protocol.session.SessionParams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code session/gdbserver}: real gdb on a session launched over JSON-RPC. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RpcGdbServerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @Test
    void gdbDrivesALaunchedSessionAndJsonRpcRestartWaits(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gdb")), "gdb is not installed");
        Path program = Path.of(System.getProperty("rewind.testBin", "target/test-bin"), "gdb-loop").toAbsolutePath();
        assertTrue(Files.isExecutable(program), program + " was not built");
        try (ServerProcess p = ServerProcess.start("--stdio"); ServerProcess.Client c = p.client().initialized()) {
            RewindServer s = c.server();
            int sid = get(s.session().launch(new LaunchParams(program.toString(), List.of(), null, null, null, "pipe",
                    null, true, null))).sessionId();

            GdbServerInfo info = get(s.session().gdbserver(new SessionParams(sid)));
            assertEquals(sid, info.sessionId());
            assertEquals(0, info.port());
            Path socket = Path.of(info.host());
            assertEquals("target extended-remote " + socket, info.command());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            assertEquals(info, get(s.session().gdbserver(new SessionParams(sid))), "one listener per session");
            assertTrue(Files.readString(Path.of(info.script())).contains("define rw-restart"), info.script());

            Path attached = tmp.resolve("attached");
            Path go = tmp.resolve("go");
            List<String> argv = new ArrayList<>(List.of("gdb", "-batch", "-nx", "-ex", info.command(),
                    "-ex", "break step", "-ex", "continue", "-ex", "print i", "-ex", "monitor checkpoint at-step-1",
                    "-ex", "shell touch " + attached + "; while [ ! -e " + go + " ]; do sleep 0.1; done",
                    "-ex", "continue", "-ex", "print i", "-ex", "print total"));
            Process gdb = new ProcessBuilder(argv).redirectErrorStream(true).start();
            gdb.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Instant deadline = Instant.now().plus(DEADLINE);
            while (!Files.exists(attached) && gdb.isAlive() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(attached), "gdb did not get to its pause:\n" + output.getNow("(running)"));
            // Checkpoints gdb takes (its monitor command, the stops rw-back keeps) reach the client.
            Instant announced = Instant.now().plus(DEADLINE);
            boolean seen = false;
            while (!seen && Instant.now().isBefore(announced)) {
                dev.rewind.protocol.checkpoint.CheckpointInfo ci = c.notes().created.poll(1, TimeUnit.SECONDS);
                seen = ci != null && "at-step-1".equals(ci.label()) && ci.sessionId() == sid;
            }
            assertTrue(seen, "checkpoint/created not sent for gdb's monitor checkpoint");

            // gdb is attached: JSON-RPC must not change the process behind its back.
            assertEquals(ErrorCodes.GDB_ATTACHED, errorCode(s.checkpoint().restart(new CridParams(sid, 1))));
            assertEquals(ErrorCodes.GDB_ATTACHED, errorCode(s.session().resume(new SessionParams(sid))));

            Files.createFile(go);
            assertTrue(gdb.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "gdb did not finish");
            String text = output.get(10, TimeUnit.SECONDS);
            find(text, "(Breakpoint 1[.0-9]*, step \\(i=1\\))");
            assertTrue(text.contains("$1 = 1"), text);
            long crid = Long.parseLong(find(text, "checkpoint (\\d+) \\(at-step-1\\)"));
            find(text, "(Breakpoint 1[.0-9]*, step \\(i=2\\))");
            assertTrue(text.contains("$2 = 2"), text);
            assertTrue(text.contains("$3 = 1"), text);

            // gdb detached on quitting: the session stays, and JSON-RPC may restart it again.
            assertEquals(1, get(s.session().list(new ListSessionsParams())).sessions().size());
            RestartResult r = null;
            while (r == null && Instant.now().isBefore(deadline)) {
                try {
                    r = get(s.checkpoint().restart(new CridParams(sid, crid)));
                } catch (AssertionError e) {
                    Thread.sleep(50); // the stub is still letting go
                }
            }
            assertTrue(r != null, "checkpoint/restart still refused after gdb quit");
            assertEquals(crid, r.crid());
        }
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no /" + regex + "/ in:\n" + text);
        return m.group(1);
    }
}
