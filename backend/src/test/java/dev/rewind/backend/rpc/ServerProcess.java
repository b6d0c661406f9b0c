package dev.rewind.backend.rpc;

import dev.rewind.protocol.InitializeParams;
import dev.rewind.protocol.ProtocolVersion;
import dev.rewind.protocol.RewindServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/** A real backend process ({@code rewind serve ...}) started from the test class path. */
final class ServerProcess implements AutoCloseable {
    final Process process;

    private ServerProcess(Process process) {
        this.process = process;
    }

    static ServerProcess start(String... serveArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.rewind.backend.cli.Main", "serve"));
        cmd.addAll(List.of(serveArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ServerProcess(pb.start());
    }

    static ServerProcess startWithStderrPipe(String... serveArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.rewind.backend.cli.Main", "serve"));
        cmd.addAll(List.of(serveArgs));
        return new ServerProcess(new ProcessBuilder(cmd).start());
    }

    /** A Java client on this process's stdio. */
    Client client() {
        return Client.connect(process.getInputStream(), process.getOutputStream());
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not end");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** An LSP4J client: the proxy to call, the notifications it got. */
    record Client(RewindServer server, RecordingClient notes, ExecutorService executor) implements AutoCloseable {
        static Client connect(InputStream in, OutputStream out) {
            RecordingClient notes = new RecordingClient();
            ExecutorService ex = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "test-client");
                t.setDaemon(true);
                return t;
            });
            Launcher<RewindServer> l = RpcLauncher.client(notes, in, out, ex);
            l.startListening();
            return new Client(l.getRemoteProxy(), notes, ex);
        }

        Client initialized() throws Exception {
            server.initialize(new InitializeParams("test", ProtocolVersion.text())).get(30, TimeUnit.SECONDS);
            return this;
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
