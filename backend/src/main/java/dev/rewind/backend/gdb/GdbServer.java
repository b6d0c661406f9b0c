package dev.rewind.backend.gdb;

import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.trace.LaunchRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Entry points of the gdbserver for the command line and tests: serve one gdb on a pair of
 * streams (stdio) or on one loopback TCP connection. Each call owns its {@link Engine} and
 * closes it at the end, which kills launched programs and every snapshot, and detaches
 * attached processes. Stateless.
 */
public final class GdbServer {
    /** Printed whenever the server listens on TCP. */
    public static final String TCP_WARNING = "rewind gdbserver: WARNING: any local user can connect to this port "
            + "and drive the debuggee (and, with gdb's 'call system(...)', run code as its owner). "
            + "Prefer --stdio: target extended-remote | ./rewind gdbserver --stdio -- PROGRAM";

    /**
     * What to debug: a program to launch (may be null: gdb names it with {@code run}), a pid to
     * attach to (0: none), or checkpoint {@code crid} of the image file {@code image} (null: none),
     * restored and stopped there; {@code pidNamespace}: launched programs start in a PID namespace of
     * their own.
     */
    public record Target(LaunchRequest program, int attachPid, boolean pidNamespace, Path image, long crid) {
        public Target(LaunchRequest program, int attachPid) {
            this(program, attachPid, false, null, 0);
        }

        /** Checkpoint {@code crid} of {@code image}. */
        public static Target image(Path image, long crid) {
            return new Target(null, 0, false, image, crid);
        }
    }

    private GdbServer() {
    }

    /**
     * Serves one gdb on {@code in}/{@code out} until it disconnects.
     *
     * @param programOutput receives the program's output lines (on stdio it must not reach {@code out})
     * @param log           diagnostics for the person running the server
     */
    public static void serve(Target target, InputStream in, OutputStream out, Consumer<String> programOutput,
            PrintStream log) throws InterruptedException {
        Engine engine = new Engine();
        GdbSession session = new GdbSession(engine, target.program(), target.pidNamespace(), programOutput);
        GdbConnection c = new GdbConnection(in, out);
        GdbStub stub = new GdbStub(c, session, log);
        try {
            Debuggee d = null;
            if (target.attachPid() > 0) {
                d = session.attach(target.attachPid());
            } else if (target.image() != null) {
                d = session.restoreImage(target.image(), target.crid(), log);
            } else if (target.program() != null) {
                d = session.launch(null, java.util.List.of());
            }
            if (d != null) {
                stub.startedWith(d);
            }
            stub.serve();
        } finally {
            c.close();
            session.close();
        }
    }

    /**
     * Serves one gdb on {@code in}/{@code out} for a debuggee someone else owns (a JSON-RPC
     * session), until gdb disconnects. Nothing new is launched or attached ({@code run} wants a
     * {@code c<CRID>}); the debuggee is stopped first if it runs, and is left stopped, without
     * gdb's breakpoints, and neither killed nor released when gdb goes (unless gdb kills it).
     * The caller must keep everyone else from taking the debuggee's stop events meanwhile.
     */
    public static void serveExisting(Debuggee d, InputStream in, OutputStream out, PrintStream log)
            throws InterruptedException {
        GdbSession session = new GdbSession(d);
        GdbConnection c = new GdbConnection(in, out);
        GdbStub stub = new GdbStub(c, session, log);
        try {
            if (!d.exit().isDone()) {
                if (!d.isStopped()) {
                    d.pause();
                }
                GdbSession.drainEvents(d);
                stub.startedWith(d);
            }
            stub.serve();
        } finally {
            c.close();
            session.close();
        }
    }

    /**
     * Binds {@code hostPort} ({@code HOST:PORT}; PORT 0 picks a free one), refusing any address
     * that is not loopback: a debuggee must not be reachable from other machines.
     */
    public static ServerSocket bindLoopback(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--listen wants HOST:PORT, e.g. 127.0.0.1:2345");
        }
        String host = hostPort.substring(0, colon);
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        InetAddress address;
        try {
            address = InetAddress.getByName(host.isEmpty() ? "127.0.0.1" : host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host);
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException(host + " is not a loopback address; the gdbserver listens on "
                    + "127.0.0.1 or ::1 only");
        }
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(address, port), 1);
        return s;
    }

    /** Accepts one gdb on {@code server}, serves it, and closes the socket. */
    public static void serveOne(Target target, ServerSocket server, Consumer<String> programOutput, PrintStream log)
            throws IOException, InterruptedException {
        try (server; Socket s = server.accept()) {
            s.setTcpNoDelay(true);
            server.close(); // one gdb per server, as gdbserver without --multi
            serve(target, s.getInputStream(), s.getOutputStream(), programOutput, log);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The gdb script with the rw-* commands, as text. */
    public static String script() {
        try (InputStream in = GdbServer.class.getResourceAsStream("rewind.gdb")) {
            if (in == null) {
                throw new IllegalStateException("rewind.gdb missing from the jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
