package dev.rewind.backend.cli;

import dev.rewind.backend.gdb.GdbServer;
import dev.rewind.backend.rpc.ChannelStreams;
import dev.rewind.backend.rpc.PrivateSocket;
import dev.rewind.backend.trace.LaunchRequest;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rewind gdbserver}: the backend as a gdbserver, on stdio (default), a private Unix socket or a loopback port. */
@Command(name = "gdbserver", mixinStandardHelpOptions = true, description = {
    "Serve gdb's remote protocol for PROGRAM (or an attached process), with checkpoints.",
    "In gdb:  target extended-remote | ./rewind gdbserver --stdio -- PROGRAM ARGS",
    "Checkpoints: monitor checkpoint [LABEL], monitor checkpoints, monitor drop CRID; restart with 'run cCRID'."})
final class GdbServerCommand implements Callable<Integer> {
    static final class Transport {
        @Option(names = "--stdio", description = "Speak the protocol on stdin/stdout (the default; only gdb can reach it).")
        boolean stdio;

        @Option(names = "--socket", paramLabel = "PATH", description = "Listen on a Unix domain socket at PATH instead, "
                + "mode 0600 (only your user can connect); in gdb: target extended-remote PATH.")
        Path socket;

        @Option(names = "--listen", paramLabel = "HOST:PORT",
                description = "Listen on a loopback TCP port instead. Any local user could drive the debuggee.")
        String listen;
    }

    @ArgGroup(exclusive = true)
    private Transport transport = new Transport();

    @Option(names = "--attach", paramLabel = "PID", description = "Attach to a running process instead of launching one.")
    private int attachPid;

    @Option(names = "--image", paramLabel = "FILE",
            description = "Restore a checkpoint of this image file (with --crid) and debug it, stopped at the checkpoint.")
    private Path image;

    @Option(names = "--crid", paramLabel = "N", description = "The checkpoint of --image.")
    private long crid;

    @Option(names = "--pid-namespace", description = "Start the program as pid 2 of a PID namespace of its own (needs root): "
            + "restarts give it its pids back even when other processes took them meanwhile.")
    private boolean pidNamespace;

    @Parameters(arity = "0..*", paramLabel = "PROGRAM ARGS",
            description = "The program and its arguments (after --); without one, gdb names it with 'run'.")
    private List<String> command = List.of();

    /**
     * The command for {@code args} (what follows "gdbserver") when they are the plain forms gdb is
     * given ({@code --stdio}, {@code --listen HOST:PORT}, {@code --attach PID}, {@code --pid-namespace},
     * {@code -- PROGRAM ARGS}); null for anything else (help, version, errors), which picocli handles.
     * Why: gdb waits for this JVM's start-up at each {@code target extended-remote | rewind gdbserver},
     * and picocli's first parse costs ~150 ms of it here (its classes are Java 5 bytecode: the old,
     * slow verifier, and no class-data sharing). MainTest checks that both parses agree.
     */
    static GdbServerCommand parseQuickly(List<String> args) {
        GdbServerCommand c = new GdbServerCommand();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            if (a.equals("--")) {
                c.command = List.copyOf(args.subList(i + 1, args.size()));
                break;
            } else if (a.equals("--stdio")) {
                c.transport.stdio = true;
            } else if (a.equals("--pid-namespace")) {
                c.pidNamespace = true;
            } else if (a.equals("--listen") && value != null && !value.startsWith("-")) {
                c.transport.listen = value;
                i++;
            } else if (a.equals("--socket") && value != null && !value.startsWith("-")) {
                c.transport.socket = Path.of(value);
                i++;
            } else if (a.equals("--attach") && value != null && value.matches("[0-9]{1,9}")) {
                c.attachPid = Integer.parseInt(value);
                i++;
            } else if (a.startsWith("-") || args.subList(i, args.size()).stream().anyMatch(x -> x.startsWith("-"))) {
                return null;
            } else {
                c.command = List.copyOf(args.subList(i, args.size()));
                break;
            }
        }
        int transports = (c.transport.stdio ? 1 : 0) + (c.transport.listen != null ? 1 : 0) + (c.transport.socket != null ? 1 : 0);
        return transports > 1 ? null : c;
    }

    /** The parsed arguments, for tests. */
    String describe() {
        return "stdio=" + transport.stdio + " socket=" + transport.socket + " listen=" + transport.listen + " attach="
                + attachPid + " pidNamespace="
                + pidNamespace + " image=" + image + " crid=" + crid + " command=" + command;
    }

    /** The program's output goes to our stderr as it comes (never to stdout, which may be the protocol). */
    private static void programOutput(String text) {
        System.err.print(text);
        System.err.flush();
    }

    @Override
    public Integer call() throws Exception {
        if (attachPid > 0 && !command.isEmpty()) {
            System.err.println("rewind gdbserver: give --attach PID or a PROGRAM, not both");
            return 2;
        }
        if (image != null && (attachPid > 0 || !command.isEmpty() || crid <= 0)) {
            System.err.println("rewind gdbserver: --image FILE wants --crid N, and no --attach or PROGRAM");
            return 2;
        }
        if (attachPid > 0 && pidNamespace) {
            System.err.println("rewind gdbserver: --pid-namespace is for programs it starts, not for --attach");
            return 2;
        }
        LaunchRequest program = command.isEmpty() ? null : new LaunchRequest(command.get(0),
                command.subList(1, command.size()), null, null, null);
        GdbServer.Target target = image != null ? GdbServer.Target.image(image, crid)
                : new GdbServer.Target(program, attachPid, pidNamespace, null, 0);
        if (transport.socket != null) {
            ServerSocketChannel server = bindSocket(transport.socket);
            System.err.println("rewind gdbserver: listening on " + transport.socket + " (mode 0600); in gdb: target "
                    + "extended-remote " + transport.socket);
            System.err.flush();
            serveOne(target, server, transport.socket);
            return 0;
        }
        return serve(target, transport.listen);
    }

    /** The 0600 socket at {@code path}; a path that exists is refused, never taken over. */
    private static ServerSocketChannel bindSocket(Path path) throws IOException {
        try {
            return PrivateSocket.bind(path, 1);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(path + " exists already; give --socket a new path");
        }
    }

    /** Accepts one gdb on the Unix socket {@code server} (at {@code path}), serves it, and removes the socket. */
    private static void serveOne(GdbServer.Target target, ServerSocketChannel server, Path path)
            throws Exception {
        try (server; SocketChannel s = server.accept()) {
            server.close(); // one gdb per server, as gdbserver without --multi
            Files.deleteIfExists(path);
            GdbServer.serve(target, ChannelStreams.input(s), ChannelStreams.output(s), GdbServerCommand::programOutput,
                    System.err);
        } finally {
            Files.deleteIfExists(path);
        }
    }

    /** Serves gdb for {@code target} on stdio, or on the loopback port {@code listen} when it is not null. */
    static int serve(GdbServer.Target target, String listen) throws Exception {
        PrintStream err = System.err;
        if (listen != null) {
            ServerSocket server = GdbServer.bindLoopback(listen);
            err.println(GdbServer.TCP_WARNING);
            err.println("rewind gdbserver: listening on " + server.getInetAddress().getHostAddress() + ":"
                    + server.getLocalPort());
            err.flush();
            GdbServer.serveOne(target, server, GdbServerCommand::programOutput, err);
            return 0;
        }
        // The protocol owns stdout: anything else printed there would corrupt it.
        PrintStream protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        System.setOut(err);
        GdbServer.serve(target, new FileInputStream(FileDescriptor.in), protocolOut, GdbServerCommand::programOutput, err);
        return 0;
    }
}
