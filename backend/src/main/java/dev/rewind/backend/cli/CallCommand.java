package dev.rewind.backend.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.rewind.backend.rpc.SocketClient;
import dev.rewind.protocol.InitializeParams;
import dev.rewind.protocol.ProgressParams;
import dev.rewind.protocol.ProtocolVersion;
import dev.rewind.protocol.RewindClient;
import dev.rewind.protocol.checkpoint.CheckpointDropped;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.session.ExitedEvent;
import dev.rewind.protocol.session.OutputEvent;
import dev.rewind.protocol.session.StoppedEvent;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rewind call METHOD [JSON] --socket PATH}: one JSON-RPC request from a shell. Prints the
 * result as JSON on stdout; notifications that arrive meanwhile go to stderr.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = {"Send one JSON-RPC request to a backend (rewind serve --socket PATH) and print the result as JSON.",
            "Sessions end with the connection unless launched with \"onDisconnect\": \"keep\".",
            "Exit status: 0 on a result, 1 on an error response (code and message on stderr), 2 on a usage error.",
            "Example: rewind call session/launch '{\"program\":\"/bin/sleep\",\"args\":[\"60\"],\"onDisconnect\":\"keep\"}' --socket /tmp/rw.sock"})
final class CallCommand implements Callable<Integer> {
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().create();

    @Parameters(index = "0", paramLabel = "METHOD", description = "e.g. session/list, checkpoint/create")
    String method;

    @Parameters(index = "1", arity = "0..1", paramLabel = "JSON", description = "the params object; omitted: none")
    String params;

    @Option(names = "--socket", required = true, paramLabel = "PATH", description = "the backend's socket")
    Path socket;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "give up waiting for the answer after this long (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        JsonElement p = null;
        if (params != null) {
            try {
                p = JsonParser.parseString(params);
            } catch (JsonParseException e) {
                System.err.println("rewind call: JSON is not valid: " + e.getMessage());
                return 2;
            }
        }
        try (SocketClient client = SocketClient.connect(socket, new StderrNotifications())) {
            try {
                client.server().initialize(new InitializeParams("rewind call", ProtocolVersion.text()))
                        .get(timeoutSeconds, TimeUnit.SECONDS);
                Object result = client.launcher().getRemoteEndpoint().request(method, p)
                        .get(timeoutSeconds, TimeUnit.SECONDS);
                System.out.println(PRETTY.toJson(result));
                client.server().shutdown().get(timeoutSeconds, TimeUnit.SECONDS);
                client.server().exit();
                return 0;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ResponseErrorException r) {
                    ResponseError err = r.getResponseError();
                    System.err.println("rewind call: " + method + " failed: error " + err.getCode() + ": "
                            + err.getMessage());
                    return 1;
                }
                throw e;
            }
        }
    }

    /** Notifications of this connection, one JSON line each on stderr. */
    private static final class StderrNotifications implements RewindClient {
        private static final Gson LINE = new Gson();

        private static void print(String method, Object params) {
            System.err.println(method + " " + LINE.toJson(params));
        }

        @Override
        public void stopped(StoppedEvent event) {
            print("session/stopped", event);
        }

        @Override
        public void exited(ExitedEvent event) {
            print("session/exited", event);
        }

        @Override
        public void output(OutputEvent event) {
            print("session/output", event);
        }

        @Override
        public void checkpointCreated(CheckpointInfo checkpoint) {
            print("checkpoint/created", checkpoint);
        }

        @Override
        public void checkpointDropped(CheckpointDropped event) {
            print("checkpoint/dropped", event);
        }

        @Override
        public void progress(ProgressParams params) {
            print("$/progress", params);
        }
    }
}
