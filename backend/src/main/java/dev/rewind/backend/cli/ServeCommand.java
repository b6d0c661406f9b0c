package dev.rewind.backend.cli;

import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.checkpoint.MemoryBudget;
import dev.rewind.backend.rpc.Connection;
import dev.rewind.backend.rpc.RpcBackend;
import dev.rewind.backend.rpc.UnixSocketServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rewind serve}: the JSON-RPC backend (docs/protocol.md), on stdio for one client or on a
 * Unix domain socket for many.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the JSON-RPC protocol (docs/protocol.md): LSP base-protocol framing, JSON-RPC 2.0.",
            "With --stdio one client talks on stdin/stdout (debuggees never get them); the backend ends with it.",
            "With --socket many clients connect to a Unix domain socket created with mode 0600; the backend runs until killed."})
final class ServeCommand implements Callable<Integer> {
    static final class Transport {
        @Option(names = "--stdio", required = true, description = "Serve one client on stdin/stdout.")
        boolean stdio;

        @Option(names = "--socket", required = true, paramLabel = "PATH",
                description = "Serve clients on a Unix domain socket at PATH (refused if PATH exists, unless it is a stale socket of ours).")
        Path socket;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Transport transport;

    @Option(names = "--memory-budget", paramLabel = "MIB",
            description = "Drop the oldest automatic checkpoints (stops, periodic) when the snapshots hold more than MIB MiB of their own; manual ones are kept. Default: no limit.")
    long memoryBudgetMib;

    @Override
    public Integer call() throws Exception {
        Engine engine = new Engine(memoryBudgetMib > 0 ? new MemoryBudget(memoryBudgetMib << 20) : MemoryBudget.UNLIMITED);
        RpcBackend backend = new RpcBackend(engine, VersionProvider.version());
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "rewind-serve-shutdown"));
        if (transport.stdio) {
            return serveStdio(backend);
        }
        return serveSocket(backend, transport.socket);
    }

    private static int serveStdio(RpcBackend backend) throws Exception {
        OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        // Whatever else prints must not corrupt the protocol stream.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        int status = Connection.serve(backend, "stdio", new FileInputStream(FileDescriptor.in), protocolOut).get();
        protocolOut.flush();
        return status;
    }

    private static int serveSocket(RpcBackend backend, Path path) throws IOException {
        UnixSocketServer server = UnixSocketServer.bind(backend, path);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "rewind-serve-socket-close"));
        System.err.println("rewind: serving on " + server.path());
        server.run();
        return 0;
    }
}
