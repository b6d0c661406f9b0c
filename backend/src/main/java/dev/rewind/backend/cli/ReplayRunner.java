package dev.rewind.backend.cli;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.rpc.Connection;
import dev.rewind.backend.rpc.RpcBackend;
import dev.rewind.backend.rpc.RpcLauncher;
import dev.rewind.protocol.InitializeParams;
import dev.rewind.protocol.ProgressParams;
import dev.rewind.protocol.ProtocolVersion;
import dev.rewind.protocol.RewindClient;
import dev.rewind.protocol.RewindServer;
import dev.rewind.protocol.checkpoint.CheckpointDropped;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.session.ExitedEvent;
import dev.rewind.protocol.session.OutputEvent;
import dev.rewind.protocol.session.StoppedEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;

/**
 * Runs replay scripts through the JSON-RPC protocol, against a backend in this process (the same
 * {@link Connection} a socket client gets). Every step is a protocol call, so a script is also a
 * test of the protocol. One instance per run; not thread-safe.
 */
final class ReplayRunner implements AutoCloseable {
    private static final Gson GSON = new Gson();
    private static final long DEFAULT_TIMEOUT_MS = 30_000;

    /** A step that did not do what the script expects. */
    private static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    private final PrintStream out;
    private final RpcBackend backend;
    private final Launcher<RewindServer> launcher;
    private final ExecutorService executor;
    private final Output output;
    private Integer sessionId;
    private int stepNumber;

    private ReplayRunner(PrintStream out, RpcBackend backend, Launcher<RewindServer> launcher, ExecutorService executor,
            Output output) {
        this.out = out;
        this.output = output;
        this.backend = backend;
        this.launcher = launcher;
        this.executor = executor;
    }

    static ReplayRunner start(PrintStream out) throws IOException {
        RpcBackend backend = new RpcBackend(new Engine(), VersionProvider.version());
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        Connection.serve(backend, "replay", Channels.newInputStream(toServer.source()),
                Channels.newOutputStream(toClient.sink()));
        ExecutorService ex = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rewind-replay-client");
            t.setDaemon(true);
            return t;
        });
        Output output = new Output();
        Launcher<RewindServer> l = RpcLauncher.client(output, Channels.newInputStream(toClient.source()),
                Channels.newOutputStream(toServer.sink()), ex);
        l.startListening();
        return new ReplayRunner(out, backend, l, ex, output);
    }

    int run(ReplayScript script) {
        out.println("replay: " + (script.description.isEmpty() ? "(no description)" : script.description));
        try {
            launcher.getRemoteProxy().initialize(new InitializeParams("rewind replay", ProtocolVersion.text()))
                    .get(30, TimeUnit.SECONDS);
            for (ReplayScript.Step s : script.steps) {
                step(script, s, "");
            }
        } catch (Failed e) {
            out.println("FAIL at step " + stepNumber + ": " + e.getMessage());
            return 1;
        } catch (ReplayScript.BadScript e) {
            out.println("BAD SCRIPT at step " + stepNumber + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            out.println("FAIL at step " + stepNumber + ": " + e);
            return 1;
        }
        out.println("PASS: " + stepNumber + " steps");
        return 0;
    }

    private void step(ReplayScript script, ReplayScript.Step s, String indent) throws Exception {
        if (s.action().equals("repeat")) {
            int times = script.substitute(s.argument()).getAsInt();
            out.println(indent + "repeat " + times + " times:");
            for (int i = 1; i <= times; i++) {
                out.println(indent + "  round " + i + ":");
                for (ReplayScript.Step inner : ReplayScript.steps(s.raw().getAsJsonArray("steps"))) {
                    step(script, inner, indent + "    ");
                }
            }
            return;
        }
        stepNumber++;
        JsonObject arg = script.substitute(s.argument()).isJsonObject()
                ? script.substitute(s.argument()).getAsJsonObject() : new JsonObject();
        String label = String.format("%s[%d] %s %s", indent, stepNumber, s.action(), arg.size() == 0 ? "" : arg);
        JsonElement result;
        try {
            result = perform(script, s, arg);
        } catch (Failed e) {
            out.println(label + " ... FAILED");
            throw e;
        }
        if (s.as() != null) {
            script.values.put(s.as(), result == null ? JsonNullHolder.NULL : result);
        }
        out.println(label + " ... ok" + (s.expectError() != null ? " (error " + s.expectError() + ", as expected)"
                : summary(s.action(), result)));
    }

    private JsonElement perform(ReplayScript script, ReplayScript.Step s, JsonObject arg) throws Exception {
        switch (s.action()) {
            case "launch": {
                if (arg.has("program")) {
                    arg.addProperty("program", script.directory.resolve(arg.get("program").getAsString()).toString());
                }
                if (!arg.has("stdout")) {
                    arg.addProperty("stdout", "pipe");
                }
                if (!arg.has("stderr")) {
                    arg.addProperty("stderr", "pipe");
                }
                JsonElement r = call(s, "session/launch", arg);
                if (r != null) {
                    sessionId = r.getAsJsonObject().get("sessionId").getAsInt();
                }
                return r;
            }
            case "break":
                return call(s, "breakpoint/set", withSession(arg));
            case "resume":
                return call(s, "session/resume", withSession(arg));
            case "pause":
                return call(s, "session/pause", withSession(arg));
            case "kill":
                return call(s, "session/kill", withSession(arg));
            case "input":
                return call(s, "session/input", withSession(arg));
            case "checkpoint":
                return call(s, "checkpoint/create", withSession(arg));
            case "drop":
                return call(s, "checkpoint/drop", withSession(arg));
            case "writeBack":
                return call(s, "checkpoint/writeBack", withSession(arg));
            case "restart":
                // Before the call: the restored process may print before the answer arrives.
                output.mark(withSession(arg).get("sessionId").getAsInt());
                return call(s, "checkpoint/restart", arg);
            case "wait":
                return waitStep(s, arg);
            case "read":
                return readStep(s, arg);
            case "expectOutput":
                return expectOutput(arg);
            case "call": {
                JsonElement params = s.raw().has("params") ? script.substitute(s.raw().get("params")) : new JsonObject();
                if (params.isJsonObject() && sessionId != null && !params.getAsJsonObject().has("sessionId")) {
                    params.getAsJsonObject().addProperty("sessionId", sessionId);
                }
                return call(s, script.substitute(s.argument()).getAsString(), params);
            }
            default:
                throw new ReplayScript.BadScript("unknown action " + s.action());
        }
    }

    private JsonObject withSession(JsonObject arg) {
        if (!arg.has("sessionId")) {
            if (sessionId == null) {
                throw new ReplayScript.BadScript("no session yet: launch first");
            }
            arg.addProperty("sessionId", sessionId);
        }
        return arg;
    }

    /** Calls {@code method}; with expectError the call must fail with that code. */
    private JsonElement call(ReplayScript.Step s, String method, JsonElement params) throws Exception {
        Integer expected = s.expectError();
        try {
            Object r = launcher.getRemoteEndpoint().request(method, params).get(10, TimeUnit.MINUTES);
            if (expected != null) {
                throw new Failed(method + " succeeded, but the script expects error " + expected);
            }
            return r == null ? null : GSON.toJsonTree(r);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResponseErrorException re) {
                ResponseError err = re.getResponseError();
                if (expected != null && expected == err.getCode()) {
                    return new JsonPrimitive(err.getCode());
                }
                throw new Failed(method + ": error " + err.getCode() + ": " + err.getMessage());
            }
            throw e;
        }
    }

    private JsonElement waitStep(ReplayScript.Step s, JsonObject arg) throws Exception {
        long timeout = arg.has("timeoutMs") ? arg.get("timeoutMs").getAsLong() : DEFAULT_TIMEOUT_MS;
        JsonObject params = new JsonObject();
        params.addProperty("timeoutMs", timeout);
        JsonObject r = call(s, "session/wait", withSession(params)).getAsJsonObject();
        if (r.get("timedOut").getAsBoolean()) {
            throw new Failed("no stop within " + timeout + " ms");
        }
        JsonObject stop = r.getAsJsonObject("stop");
        for (Map.Entry<String, JsonElement> want : arg.entrySet()) {
            if (want.getKey().equals("timeoutMs") || want.getKey().equals("sessionId")) {
                continue;
            }
            JsonElement got = stop.get(want.getKey());
            if (got == null || !same(got, want.getValue())) {
                throw new Failed("expected " + want.getKey() + " " + want.getValue() + ", got " + stop);
            }
        }
        return stop;
    }

    private static boolean same(JsonElement got, JsonElement want) {
        if (got.isJsonPrimitive() && want.isJsonPrimitive() && got.getAsJsonPrimitive().isNumber()) {
            return new BigInteger(got.getAsString()).equals(new BigInteger(want.getAsString()));
        }
        return got.equals(want);
    }

    private JsonElement readStep(ReplayScript.Step s, JsonObject arg) throws Exception {
        JsonObject expect = s.raw().has("expect") ? s.raw().getAsJsonObject("expect") : new JsonObject();
        JsonObject r = call(s, "memory/read", withSession(arg)).getAsJsonObject();
        byte[] data = Base64.getDecoder().decode(r.get("data").getAsString());
        long value = littleEndian(data);
        r.addProperty("int", value);
        r.addProperty("hex", HexFormat.of().formatHex(data));
        if (expect.has("int") && expect.get("int").getAsLong() != value) {
            throw new Failed("expected int " + expect.get("int") + ", read " + value);
        }
        if (expect.has("hex") && !expect.get("hex").getAsString().equalsIgnoreCase(r.get("hex").getAsString())) {
            throw new Failed("expected hex " + expect.get("hex") + ", read " + r.get("hex"));
        }
        return r;
    }

    private static long littleEndian(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        return switch (data.length) {
            case 1 -> data[0];
            case 2 -> b.getShort();
            case 4 -> b.getInt();
            case 8 -> b.getLong();
            default -> 0;
        };
    }

    /**
     * Output after the cursor (the start, the last restart, or the end of what the last
     * expectOutput matched): waits for {@code contains} and moves the cursor past it; compares
     * what it consumed with {@code equals}.
     */
    private JsonElement expectOutput(JsonObject arg) throws Exception {
        if (sessionId == null) {
            throw new ReplayScript.BadScript("no session yet: launch first");
        }
        String stream = arg.has("stream") ? arg.get("stream").getAsString() : OutputEvent.STDOUT;
        long timeout = arg.has("timeoutMs") ? arg.get("timeoutMs").getAsLong() : DEFAULT_TIMEOUT_MS;
        String text;
        try {
            text = arg.has("contains") ? output.consume(sessionId, stream, arg.get("contains").getAsString(), timeout)
                    : output.since(sessionId, stream);
        } catch (TimeoutException e) {
            throw new Failed("no " + arg.get("contains") + " in " + stream + " within " + timeout + " ms; got: "
                    + output.since(sessionId, stream));
        }
        if (arg.has("equals") && !arg.get("equals").getAsString().equals(text)) {
            throw new Failed(stream + " differs: expected " + arg.get("equals") + ", got " + new JsonPrimitive(text));
        }
        return new JsonPrimitive(text);
    }

    private static String summary(String action, JsonElement r) {
        if (r == null || !r.isJsonObject()) {
            return "";
        }
        JsonObject o = r.getAsJsonObject();
        return switch (action) {
            case "launch" -> " (session " + o.get("sessionId") + ", pid " + o.get("pid") + ")";
            case "checkpoint" -> " (crid " + o.get("crid") + ", downtime " + o.get("downtimeMicros") + " us)";
            case "restart" -> " (pid " + o.get("pid") + ", " + o.get("restartMicros") + " us)";
            case "wait" -> " (" + o.get("reason").getAsString() + (o.has("function") ? " in " + o.get("function")
                    .getAsString() : "") + (o.has("crid") ? ", checkpoint " + o.get("crid") : "") + ")";
            case "read" -> " (" + o.get("hex").getAsString() + " = " + o.get("int") + ")";
            case "break" -> " (breakpoint " + o.get("breakpointId") + " at 0x" + Long.toHexString(o.get("address")
                    .getAsLong()) + ")";
            default -> "";
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
        backend.close();
    }

    /** The saved value of a step that answers nothing. */
    private static final class JsonNullHolder {
        static final JsonElement NULL = com.google.gson.JsonNull.INSTANCE;
    }

    /** Collects each session's piped output, with a mark at the last launch or restart. Thread-safe. */
    private static final class Output implements RewindClient {
        private final Map<String, StringBuilder> text = new java.util.HashMap<>();
        private final Map<String, Integer> marks = new java.util.HashMap<>();
        synchronized void mark(int session) {
            for (String stream : new String[] {OutputEvent.STDOUT, OutputEvent.STDERR}) {
                marks.put(session + stream, buffer(session + stream).length());
            }
        }

        private StringBuilder buffer(String key) {
            return text.computeIfAbsent(key, k -> new StringBuilder());
        }

        synchronized String since(int session, String stream) {
            String key = session + stream;
            return buffer(key).substring(marks.getOrDefault(key, 0));
        }

        /** Waits for {@code wanted} after the cursor; returns the text up to its end and moves the cursor there. */
        synchronized String consume(int session, String stream, String wanted, long timeoutMs)
                throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            String key = session + stream;
            while (true) {
                int from = marks.getOrDefault(key, 0);
                int at = buffer(key).indexOf(wanted, from);
                if (at >= 0) {
                    int end = at + wanted.length();
                    marks.put(key, end);
                    return buffer(key).substring(from, end);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException();
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        @Override
        public synchronized void output(OutputEvent e) {
            buffer(e.sessionId() + e.stream()).append(e.text());
            notifyAll();
        }

        @Override
        public void stopped(StoppedEvent event) {
        }

        @Override
        public void exited(ExitedEvent event) {
        }

        @Override
        public void checkpointCreated(CheckpointInfo checkpoint) {
        }

        @Override
        public void checkpointDropped(CheckpointDropped event) {
        }

        @Override
        public void progress(ProgressParams params) {
        }
    }
}
