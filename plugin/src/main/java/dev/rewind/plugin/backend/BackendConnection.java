package dev.rewind.plugin.backend;

import dev.rewind.plugin.RewindPlugin;
import dev.rewind.protocol.InitializeParams;
import dev.rewind.protocol.ProgressParams;
import dev.rewind.protocol.RewindClient;
import dev.rewind.protocol.RewindServer;
import dev.rewind.protocol.checkpoint.CheckpointDropped;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.session.ExitedEvent;
import dev.rewind.protocol.session.InputParams;
import dev.rewind.protocol.session.OutputEvent;
import dev.rewind.protocol.session.StoppedEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/**
 * One backend process ({@code rewind serve --stdio}) and the JSON-RPC connection to it: requests
 * through {@link #server()}, notifications routed to the listeners of their session.
 *
 * <p>Thread-safe.
 */
public final class BackendConnection implements AutoCloseable {
    private static final int STDERR_LINES = 40;

    private final Process process;
    private final RewindServer server;
    private final Map<Integer, List<SessionEvents>> bySession = new ConcurrentHashMap<>();
    private final List<SessionEvents> global = new CopyOnWriteArrayList<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private final ExecutorService executor;

    private BackendConnection(Process process) {
        this.process = process;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rewind-backend-rpc-" + process.pid());
            t.setDaemon(true);
            return t;
        });
        Launcher<RewindServer> launcher = new Launcher.Builder<RewindServer>().setLocalService(new Router())
                .setRemoteInterface(RewindServer.class).setInput(process.getInputStream())
                .setOutput(process.getOutputStream()).setExecutorService(executor).create();
        this.server = launcher.getRemoteProxy();
        launcher.startListening();
    }

    /** Starts the backend and completes the {@code initialize} handshake (waits up to 60 s). */
    public static BackendConnection start(BackendCommand command) throws IOException {
        String problem = command.problem();
        if (problem != null) {
            throw new IOException(problem);
        }
        Process p = new ProcessBuilder(command.argv()).start();
        BackendConnection c = new BackendConnection(p);
        c.watch();
        try {
            c.server.initialize(new InitializeParams("eclipse", RewindPlugin.protocolVersion())).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            c.close();
            throw new IOException("the Rewind backend did not start: " + Errors.message(e) + c.stderrText(), e);
        }
        return c;
    }

    public RewindServer server() {
        return server;
    }

    /** Sends what the user typed in the Console to the program of session {@code sessionId}. */
    public void input(int sessionId, String text) throws IOException {
        try {
            server.session().input(new InputParams(sessionId, text)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (Exception e) {
            throw new IOException(Errors.message(e), e);
        }
    }

    public boolean isAlive() {
        return process.isAlive() && !exited.isDone();
    }

    public void addListener(int sessionId, SessionEvents listener) {
        bySession.computeIfAbsent(sessionId, k -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Receives every session's events. */
    public void addGlobalListener(SessionEvents listener) {
        global.add(listener);
    }

    public void removeGlobalListener(SessionEvents listener) {
        global.remove(listener);
    }

    /** The last lines the backend wrote to stderr, for error reports ("" when none). */
    public String stderrText() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "\nbackend said:\n" + String.join("\n", stderrTail);
        }
    }

    /** {@code shutdown} and {@code exit}, then the process is killed if it is still there after 5 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                server.shutdown().get(5, TimeUnit.SECONDS);
                server.exit();
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // It is going away anyway: killed below.
            }
            process.destroyForcibly();
        }
        executor.shutdown();
    }

    private void watch() {
        Thread err = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stderrTail) {
                        if (stderrTail.size() == STDERR_LINES) {
                            stderrTail.removeFirst();
                        }
                        stderrTail.addLast(line);
                    }
                }
            } catch (IOException e) {
                // The process is gone; its end is reported by the waiter.
            }
        }, "rewind-backend-stderr-" + process.pid());
        err.setDaemon(true);
        err.start();
        process.onExit().thenAccept(p -> {
            int code = p.exitValue();
            exited.complete(code);
            String why = "the Rewind backend (pid " + p.pid() + ") exited with status " + code + stderrText();
            deliver(-1, l -> l.backendLost(why));
            executor.shutdown();
        });
    }

    private void deliver(int sessionId, Consumer<SessionEvents> event) {
        if (sessionId < 0) {
            bySession.values().forEach(list -> list.forEach(event));
        } else {
            bySession.getOrDefault(sessionId, List.of()).forEach(event);
        }
        global.forEach(event);
    }

    /** The client side of the protocol: each notification to the listeners of its session. */
    private final class Router implements RewindClient {
        @Override
        public void stopped(StoppedEvent event) {
            deliver(event.sessionId(), l -> l.stopped(event));
        }

        @Override
        public void exited(ExitedEvent event) {
            deliver(event.sessionId(), l -> l.exited(event));
        }

        @Override
        public void output(OutputEvent event) {
            deliver(event.sessionId(), l -> l.output(event));
        }

        @Override
        public void checkpointCreated(CheckpointInfo checkpoint) {
            deliver(checkpoint.sessionId(), l -> l.checkpointCreated(checkpoint));
        }

        @Override
        public void checkpointDropped(CheckpointDropped event) {
            deliver(event.sessionId(), l -> l.checkpointDropped(event));
        }

        @Override
        public void progress(ProgressParams params) {
            global.forEach(l -> l.progress(params));
            bySession.values().forEach(list -> list.forEach(l -> l.progress(params)));
        }
    }
}
