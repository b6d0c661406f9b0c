package dev.rewind.backend.rpc;

import dev.rewind.protocol.RewindClient;
import dev.rewind.protocol.RewindServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.json.ConcurrentMessageProcessor;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;

/**
 * Wires a Rewind JSON-RPC endpoint, server or client, in one place: LSP4J's framing, dispatch
 * and proxies, with {@link CappedMessageProducer} reading instead of LSP4J's reader. Stateless.
 */
public final class RpcLauncher {
    /** The largest message body either end reads: 64 MiB. */
    public static final long MAX_MESSAGE_BYTES = 64L << 20;

    private RpcLauncher() {
    }

    /** The backend's end of one connection. */
    public static Launcher<RewindClient> server(RewindServer local, InputStream in, OutputStream out,
            ExecutorService executor) {
        return new Builder<RewindClient>(MAX_MESSAGE_BYTES).setLocalService(local).setRemoteInterface(RewindClient.class)
                .setInput(in).setOutput(out).setExecutorService(executor).create();
    }

    /** A client's end: Java clients (CLI, tests) call the backend through the returned proxy. */
    public static Launcher<RewindServer> client(RewindClient local, InputStream in, OutputStream out,
            ExecutorService executor) {
        return new Builder<RewindServer>(MAX_MESSAGE_BYTES).setLocalService(local).setRemoteInterface(RewindServer.class)
                .setInput(in).setOutput(out).setExecutorService(executor).create();
    }

    /** LSP4J's builder with the reader swapped; the outgoing consumer is kept for error replies with no id. */
    private static final class Builder<T> extends Launcher.Builder<T> {
        private final long maxBytes;
        private MessageJsonHandler json;
        private RemoteEndpoint endpoint;
        private MessageConsumer outgoing;

        Builder(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        protected MessageJsonHandler createJsonHandler() {
            json = super.createJsonHandler();
            return json;
        }

        @Override
        protected RemoteEndpoint createRemoteEndpoint(MessageJsonHandler jsonHandler) {
            outgoing = wrapMessageConsumer(new StreamMessageConsumer(output, jsonHandler));
            endpoint = exceptionHandler == null
                    ? new RemoteEndpoint(outgoing, ServiceEndpoints.toEndpoint(localServices))
                    : new RemoteEndpoint(outgoing, ServiceEndpoints.toEndpoint(localServices), exceptionHandler);
            jsonHandler.setMethodProvider(endpoint);
            endpoint.setJsonHandler(jsonHandler);
            return endpoint;
        }

        @Override
        protected ConcurrentMessageProcessor createMessageProcessor(MessageProducer lsp4jReader,
                MessageConsumer messageConsumer, T remoteProxy) {
            MessageConsumer out = outgoing;
            CappedMessageProducer reader = new CappedMessageProducer(input, json, endpoint, out::consume, maxBytes);
            return new ConcurrentMessageProcessor(reader, messageConsumer);
        }
    }
}
