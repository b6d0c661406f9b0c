package dev.rewind.backend.rpc;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves JSON-RPC on a Unix domain socket that only our user can open (mode 0600), one
 * {@link Connection} per client.
 *
 * <p>The socket is made by {@link PrivateSocket}, which never replaces anything at PATH. PATH
 * may already be a socket of ours that nobody listens on (a server that was killed): that one
 * is removed first.
 *
 * <p>One instance per server; {@link #run()} blocks, {@link #close()} may come from any thread.
 */
public final class UnixSocketServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UnixSocketServer.class.getName());
    /** S_IFMT and S_IFSOCK, from {@code <sys/stat.h>}. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final RpcBackend backend;
    private final Path path;
    private final ServerSocketChannel channel;
    private final Object fileKey;
    private final AtomicInteger clients = new AtomicInteger();

    private UnixSocketServer(RpcBackend backend, Path path, ServerSocketChannel channel, Object fileKey) {
        this.backend = backend;
        this.path = path;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /**
     * Creates the socket at {@code path}.
     *
     * @throws IOException with a message for people when PATH is taken (a live server, or
     *                     anything that is not a stale socket of ours)
     */
    public static UnixSocketServer bind(RpcBackend backend, Path path) throws IOException {
        Path target = path.toAbsolutePath();
        // /proc/self belongs to the process's effective user.
        removeIfStale(target, (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        ServerSocketChannel ch;
        try {
            ch = PrivateSocket.bind(target, 0);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(target + " appeared meanwhile; is another server starting there?");
        }
        try {
            Object key = Files.readAttributes(target, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            return new UnixSocketServer(backend, target, ch, key);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void removeIfStale(Path target, int ourUid) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) Files.getAttribute(target, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(target + " exists and is not a socket; not touching it");
        }
        if (uid != ourUid) {
            throw new IOException(target + " is a socket of another user (uid " + uid + "); not touching it");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(target))) {
            throw new IOException("a server already listens on " + target);
        } catch (ConnectException stale) {
            // Nobody listens: what a killed server leaves behind.
            Files.delete(target);
        }
    }

    public Path path() {
        return path;
    }

    /** Accepts clients until {@link #close()}; each is served on threads of its own. */
    public void run() throws IOException {
        while (true) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            }
            String name = "socket-" + clients.incrementAndGet();
            Connection.serve(backend, name, ChannelStreams.input(client), ChannelStreams.output(client))
                    .whenComplete((status, err) -> {
                        try {
                            client.close();
                        } catch (IOException e) {
                            LOG.log(Level.FINE, name, e);
                        }
                    });
        }
    }

    /** Stops accepting and removes the socket file, if it is still the one we made. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "close", e);
        }
        try {
            Object key = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            if (key != null && key.equals(fileKey)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // already gone
        }
    }
}
