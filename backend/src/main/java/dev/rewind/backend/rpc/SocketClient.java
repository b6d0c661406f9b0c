package dev.rewind.backend.rpc;

import dev.rewind.protocol.RewindClient;
import dev.rewind.protocol.RewindServer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/** A Java client connected to {@code rewind serve --socket PATH}. One instance per connection. */
public final class SocketClient implements AutoCloseable {
    private final SocketChannel channel;
    private final ExecutorService executor;
    private final Launcher<RewindServer> launcher;

    private SocketClient(SocketChannel channel, ExecutorService executor, Launcher<RewindServer> launcher) {
        this.channel = channel;
        this.executor = executor;
        this.launcher = launcher;
    }

    public static SocketClient connect(Path socket, RewindClient notifications) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        ExecutorService ex = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rewind-rpc-client");
            t.setDaemon(true);
            return t;
        });
        Launcher<RewindServer> l = RpcLauncher.client(notifications, ChannelStreams.input(ch), ChannelStreams.output(ch), ex);
        l.startListening();
        return new SocketClient(ch, ex, l);
    }

    public RewindServer server() {
        return launcher.getRemoteProxy();
    }

    public Launcher<RewindServer> launcher() {
        return launcher;
    }

    /** Closes the connection at once (no shutdown): the server sees the client go. */
    @Override
    public void close() throws IOException {
        channel.close();
        executor.shutdownNow();
    }
}
