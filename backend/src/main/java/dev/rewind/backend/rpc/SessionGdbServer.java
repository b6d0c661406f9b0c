package dev.rewind.backend.rpc;

import dev.rewind.backend.gdb.GdbServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gdbserver of one JSON-RPC session ({@code session/gdbserver}): a Unix domain socket, mode
 * 0600 in a fresh 0700 directory, so only our user can connect. One gdb at a time; a second one
 * is turned away while the first is connected. While a gdb is connected the session's stops go
 * to it (see {@link Session#gdbConnected()}). Closed with its session. Thread-safe.
 */
final class SessionGdbServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionGdbServer.class.getName());

    private final Session session;
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel channel;
    private final PrintStream log;
    private volatile SocketChannel connected;

    private SessionGdbServer(Session session, Path dir, Path socket, ServerSocketChannel channel, PrintStream log) {
        this.session = session;
        this.dir = dir;
        this.socket = socket;
        this.channel = channel;
        this.log = log;
    }

    /** Binds the socket and starts accepting gdbs for {@code session}. */
    static SessionGdbServer open(Session session, PrintStream log) {
        Path dir = null;
        ServerSocketChannel ch = null;
        try {
            dir = Files.createTempDirectory("rewind-gdb-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path socket = dir.resolve("session-" + session.id());
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(socket));
            // The directory keeps everyone else out already; the mode says so on the socket too.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            SessionGdbServer s = new SessionGdbServer(session, dir, socket, ch, log);
            Thread t = new Thread(s::acceptLoop, "rewind-rpc-gdb-" + session.id());
            t.setDaemon(true);
            t.start();
            return s;
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException x) {
                    e.addSuppressed(x);
                }
            }
            deleteQuietly(dir == null ? null : dir.resolve("session-" + session.id()));
            deleteQuietly(dir);
            throw new UncheckedIOException("cannot open a gdb socket for session " + session.id(), e);
        }
    }

    Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.FINE, "gdb accept", e);
                return;
            }
            if (session.closed() || !session.gdbConnected()) {
                log.println("rewind gdbserver: session " + session.id() + ": a gdb is attached already; "
                        + "turning another one away");
                closeQuietly(client);
                continue;
            }
            connected = client;
            Thread t = new Thread(() -> serve(client), "rewind-rpc-gdb-" + session.id() + "-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel client) {
        try {
            GdbServer.serveExisting(session.debuggee(), ChannelStreams.input(client), ChannelStreams.output(client),
                    log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.println("rewind gdbserver: session " + session.id() + ": " + e.getMessage());
        } finally {
            closeQuietly(client);
            connected = null;
            session.gdbDisconnected();
        }
    }

    /** Stops accepting and removes the socket; a gdb still connected loses its connection with the session. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "close", e);
        }
        SocketChannel c = connected;
        if (c != null) {
            closeQuietly(c);
        }
        deleteQuietly(socket);
        deleteQuietly(dir);
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "close", e);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(Level.FINE, "delete " + p, e);
        }
    }
}
