package dev.rewind.backend.rpc;

import static dev.rewind.backend.rpc.Rpc.errorCode;
import static dev.rewind.backend.rpc.Rpc.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.InitializeParams;
import dev.rewind.protocol.ProtocolVersion;
import dev.rewind.protocol.RewindServer;
import dev.rewind.protocol.session.LaunchParams;
import dev.rewind.protocol.session.ListSessionsParams;
import dev.rewind.protocol.session.SessionInfo;
import dev.rewind.protocol.session.SessionParams;
import dev.rewind.protocol.session.SessionStarted;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real {@code rewind serve --socket PATH} process with several clients. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RpcSocketTest {
    @TempDir
    Path dir;

    /** Starts the server and returns once it listens (it says so on stderr). */
    private static ServerProcess serve(Path socket) throws Exception {
        ServerProcess p = ServerProcess.startWithStderrPipe("--socket", socket.toString());
        BufferedReader err = new BufferedReader(new InputStreamReader(p.process.getErrorStream(), StandardCharsets.UTF_8));
        String line = err.readLine();
        assertTrue(line != null && line.contains("serving on"), "server said: " + line);
        Thread drain = new Thread(() -> err.lines().forEach(System.err::println));
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    private static SocketClient client(Path socket, RecordingClient notes) throws Exception {
        SocketClient c = SocketClient.connect(socket, notes);
        get(c.server().initialize(new InitializeParams("test", ProtocolVersion.text())));
        return c;
    }

    private static LaunchParams counter(String onDisconnect) {
        return new LaunchParams(Examples.program("counter"), null, null, null, null, "pipe", null, true, onDisconnect);
    }

    @Test
    void socketIsPrivateAndClientsAreIsolated() throws Exception {
        Path socket = dir.resolve("rewind.sock");
        try (ServerProcess server = serve(socket)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

            RecordingClient notesA = new RecordingClient();
            try (SocketClient a = client(socket, notesA)) {
                RewindServer sa = a.server();
                SessionStarted owned = get(sa.session().launch(counter(null)));
                SessionStarted kept = get(sa.session().launch(counter(LaunchParams.KEEP)));

                // Client B sends garbage and dies mid-message; A carries on.
                try (SocketChannel b = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    b.connect(UnixDomainSocketAddress.of(socket));
                    RawFrames raw = new RawFrames(ChannelStreams.input(b), ChannelStreams.output(b));
                    raw.send("{this is not json");
                    JsonObject err = raw.response();
                    assertEquals(ErrorCodes.PARSE_ERROR, RawFrames.code(err));
                    raw.sendRaw("Content-Length: 100\r\n\r\n{\"jsonrpc\":");
                }
                List<SessionInfo> seen = get(sa.session().list(new ListSessionsParams())).sessions();
                assertEquals(List.of(owned.sessionId(), kept.sessionId()), seen.stream().map(SessionInfo::sessionId).toList());

                // Client C sees only the kept session and cannot touch A's own.
                try (SocketClient c = client(socket, new RecordingClient())) {
                    List<SessionInfo> cSees = get(c.server().session().list(new ListSessionsParams())).sessions();
                    assertEquals(List.of(kept.sessionId()), cSees.stream().map(SessionInfo::sessionId).toList());
                    assertEquals(ErrorCodes.UNKNOWN_SESSION,
                            errorCode(c.server().session().kill(new SessionParams(owned.sessionId()))));
                }

                ProcessHandle ownedPid = ProcessHandle.of(owned.pid()).orElseThrow();
                a.close(); // abruptly, no shutdown
                ownedPid.onExit().get(60, TimeUnit.SECONDS);
                assertTrue(ProcessHandle.of(kept.pid()).map(ProcessHandle::isAlive).orElse(false));
            }

            // The kept session outlives its client; a later one finds and ends it.
            try (SocketClient d = client(socket, new RecordingClient())) {
                List<SessionInfo> left = get(d.server().session().list(new ListSessionsParams())).sessions();
                assertEquals(1, left.size());
                get(d.server().session().kill(new SessionParams(left.get(0).sessionId())));
                ProcessHandle.of(left.get(0).pid()).ifPresent(h -> h.onExit().join());
            }
            assertTrue(server.process.isAlive());
        }
    }

    @Test
    void refusesATakenPathAndReplacesAStaleSocket() throws Exception {
        Path file = dir.resolve("taken");
        Files.writeString(file, "not a socket");
        try (ServerProcess p = ServerProcess.startWithStderrPipe("--socket", file.toString())) {
            assertNotEquals(0, p.awaitExit());
            assertTrue(new String(p.process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
                    .contains("not a socket"));
            assertEquals("not a socket", Files.readString(file));
        }

        Path socket = dir.resolve("s.sock");
        try (ServerProcess first = serve(socket)) {
            try (ServerProcess second = ServerProcess.startWithStderrPipe("--socket", socket.toString())) {
                assertNotEquals(0, second.awaitExit());
                assertTrue(new String(second.process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
                        .contains("already listens"));
            }
            first.process.destroyForcibly().waitFor();
        }
        assertTrue(Files.exists(socket), "a killed server leaves its socket behind");
        try (ServerProcess again = serve(socket); SocketClient c = client(socket, new RecordingClient())) {
            assertTrue(get(c.server().session().list(new ListSessionsParams())).sessions().isEmpty());
        }
    }
}
