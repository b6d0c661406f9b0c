package dev.rewind.backend.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.ProtocolVersion;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input to a real {@code serve --stdio} process: each bad message gets a JSON-RPC error and
 * the next good one still gets its answer; a closed connection ends the server and its debuggees.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RpcRobustnessTest {
    private static final String INIT = "{\"clientName\":\"raw\",\"protocolVersion\":\"" + ProtocolVersion.text() + "\"}";

    @Test
    void badMessagesGetErrorsAndTheConnectionCarriesOn() throws Exception {
        try (ServerProcess p = ServerProcess.start("--stdio")) {
            RawFrames f = new RawFrames(p.process.getInputStream(), p.process.getOutputStream());
            f.request(1, "initialize", INIT);
            assertTrue(f.response().has("result"));

            f.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":");
            JsonObject parse = f.response();
            assertEquals(ErrorCodes.PARSE_ERROR, RawFrames.code(parse));

            f.send("[1,2,3]");
            assertEquals(ErrorCodes.INVALID_REQUEST, RawFrames.code(f.response()));

            f.request(3, "session/frobnicate", "{}");
            JsonObject unknown = f.response();
            assertEquals(3, unknown.get("id").getAsInt());
            assertEquals(ErrorCodes.METHOD_NOT_FOUND, RawFrames.code(unknown));

            f.request(4, "session/tree", "{\"sessionId\":\"not a number\"}");
            JsonObject wrongType = f.response();
            assertEquals(4, wrongType.get("id").getAsInt());
            assertEquals(ErrorCodes.INVALID_PARAMS, RawFrames.code(wrongType));

            f.request(5, "session/launch", "{\"program\":[1,2]}");
            assertEquals(ErrorCodes.INVALID_PARAMS, RawFrames.code(f.response()));

            // A body over the cap is refused before it is read, then skipped as it streams in.
            long tooBig = RpcLauncher.MAX_MESSAGE_BYTES + 1;
            f.sendRaw("Content-Length: " + tooBig + "\r\n\r\n");
            assertEquals(ErrorCodes.MESSAGE_TOO_LARGE, RawFrames.code(f.response()));
            OutputStream out = p.process.getOutputStream();
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) ' ');
            for (long left = tooBig; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            out.flush();

            f.request(6, "session/list", null);
            JsonObject list = f.response();
            assertEquals(6, list.get("id").getAsInt());
            assertTrue(list.getAsJsonObject("result").getAsJsonArray("sessions").isEmpty());
        }
    }

    @Test
    void absurdContentLengthIsRefusedWithoutAllocating() throws Exception {
        try (ServerProcess p = ServerProcess.start("--stdio")) {
            RawFrames f = new RawFrames(p.process.getInputStream(), p.process.getOutputStream());
            f.sendRaw("Content-Length: 9000000000000\r\n\r\n");
            assertEquals(ErrorCodes.MESSAGE_TOO_LARGE, RawFrames.code(f.response()));
            p.process.getOutputStream().close();
            assertNotEquals(0, p.awaitExit(), "ended without shutdown: status 1");
        }
    }

    @Test
    void abruptCloseEndsTheServerAndKillsItsDebuggees() throws Exception {
        try (ServerProcess p = ServerProcess.start("--stdio")) {
            RawFrames f = new RawFrames(p.process.getInputStream(), p.process.getOutputStream());
            f.request(1, "initialize", INIT);
            f.response();
            f.request(2, "session/launch", "{\"program\":\"" + Examples.program("counter") + "\",\"stopAtEntry\":true}");
            int pid = f.response().getAsJsonObject("result").get("pid").getAsInt();
            Optional<ProcessHandle> debuggee = ProcessHandle.of(pid);
            assertTrue(debuggee.isPresent());
            p.process.getOutputStream().close();
            assertEquals(1, p.awaitExit());
            debuggee.get().onExit().get(60, TimeUnit.SECONDS);
        }
    }
}
