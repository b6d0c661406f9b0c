package dev.rewind.backend.rpc;

import dev.rewind.protocol.Capabilities;
import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.InitializeParams;
import dev.rewind.protocol.InitializeResult;
import dev.rewind.protocol.ProtocolVersion;
import dev.rewind.protocol.RewindClient;
import dev.rewind.protocol.RewindServer;
import dev.rewind.protocol.breakpoint.BreakpointService;
import dev.rewind.protocol.checkpoint.CheckpointService;
import dev.rewind.protocol.image.ImageService;
import dev.rewind.protocol.memory.MemoryService;
import dev.rewind.protocol.session.SessionService;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/**
 * One client's connection: the LSP lifecycle (initialize, shutdown, exit), the segments, and
 * where its requests run. Requests run one at a time in arrival order, except
 * {@code session/wait}, which waits on a thread of its own so that a pause can still come in.
 *
 * <p>A failure in one request becomes that request's error response; nothing a client sends
 * ends other connections. Thread-safe.
 */
public final class Connection implements RewindServer {
    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    private final RpcBackend backend;
    private final String name;
    private final ExecutorService ordered;
    private final ExecutorService waiting;
    private final ExecutorService io;
    private final ExecutorService notifications;
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();
    private final SessionEndpoint sessions;
    private final CheckpointEndpoint checkpoints;
    private final BreakpointEndpoint breakpoints;
    private final MemoryEndpoint memory;
    private final ImageEndpoint images;
    private volatile RewindClient client;
    private volatile boolean initialized;
    private volatile boolean shutDown;

    private Connection(RpcBackend backend, String name) {
        this.backend = backend;
        this.name = name;
        this.ordered = Executors.newSingleThreadExecutor(daemon("requests"));
        this.waiting = Executors.newCachedThreadPool(daemon("wait"));
        this.io = Executors.newCachedThreadPool(daemon("io"));
        // One thread: notifications reach the client in the order they were sent ($/progress begin,
        // report, end), and a client that stops reading stalls only them, never the engine.
        this.notifications = Executors.newSingleThreadExecutor(daemon("notifications"));
        this.sessions = new SessionEndpoint(this);
        this.checkpoints = new CheckpointEndpoint(this);
        this.breakpoints = new BreakpointEndpoint(this);
        this.memory = new MemoryEndpoint(this);
        this.images = new ImageEndpoint(this);
    }

    /**
     * Serves one client on {@code in}/{@code out} until it sends {@code exit} or its stream ends.
     *
     * @return completes with the exit status LSP prescribes: 0 after {@code shutdown}, 1 without
     */
    public static CompletableFuture<Integer> serve(RpcBackend backend, String name, InputStream in, OutputStream out) {
        Connection c = new Connection(backend, name);
        Launcher<RewindClient> launcher = RpcLauncher.server(c, in, out, c.io);
        c.client = launcher.getRemoteProxy();
        backend.connected(c);
        CompletableFuture.runAsync(() -> {
            try {
                launcher.startListening().get();
            } catch (Exception e) {
                LOG.log(Level.FINE, name + ": listener ended", e);
            }
            c.ended.complete(c.shutDown ? 0 : 1);
        }, c.io);
        return c.ended.whenComplete((status, err) -> c.close());
    }

    private void close() {
        backend.disconnected(this);
        ordered.shutdownNow();
        waiting.shutdownNow();
        io.shutdownNow();
        notifications.shutdownNow();
    }

    RpcBackend backend() {
        return backend;
    }

    /**
     * Sends a notification from a thread that must not wait for the client (the tracer thread):
     * a client that stops reading could otherwise stall the engine.
     */
    void notifyLater(Consumer<RewindClient> message) {
        notifications.execute(() -> notify(message));
    }

    /** Sends a notification; a client that is gone is simply not told. */
    void notify(Consumer<RewindClient> message) {
        RewindClient c = client;
        if (c == null || ended.isDone()) {
            return;
        }
        try {
            message.accept(c);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, name + ": notification not sent", e);
        }
    }

    /** Runs a request after the ones before it, with errors mapped to error responses. */
    <T> CompletableFuture<T> call(Supplier<T> work) {
        return run(work, ordered);
    }

    /** Runs a request that may block for long (session/wait) beside the others. */
    <T> CompletableFuture<T> callWaiting(Supplier<T> work) {
        return run(work, waiting);
    }

    private <T> CompletableFuture<T> run(Supplier<T> work, ExecutorService on) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            on.execute(() -> {
                try {
                    checkLifecycle();
                    answer(result, work.get(), null);
                } catch (Throwable t) {
                    answer(result, null, RpcErrors.toResponse(t));
                }
            });
        } catch (RuntimeException rejected) {
            result.completeExceptionally(RpcErrors.toResponse(
                    new RpcException(ErrorCodes.INVALID_REQUEST, "the connection is closing")));
        }
        return result;
    }

    /**
     * Completes a request on the notification thread, after every notification the request
     * queued (a $/progress "end", say): the client hears them before the answer that ends the
     * request. A connection that no longer sends notifications answers at once.
     */
    private <T> void answer(CompletableFuture<T> result, T value, Throwable failure) {
        Runnable complete = () -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        };
        try {
            notifications.execute(complete);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            complete.run();
        }
    }

    private void checkLifecycle() {
        if (shutDown) {
            throw new RpcException(ErrorCodes.INVALID_REQUEST, "the connection was shut down; send exit");
        }
        if (!initialized) {
            throw new RpcException(ErrorCodes.SERVER_NOT_INITIALIZED, "send initialize first");
        }
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        CompletableFuture<InitializeResult> result = new CompletableFuture<>();
        ordered.execute(() -> {
            String version = params == null ? null : params.protocolVersion();
            if (!ProtocolVersion.isCompatible(version)) {
                result.completeExceptionally(RpcErrors.toResponse(new RpcException(ErrorCodes.INCOMPATIBLE_PROTOCOL,
                        "this backend speaks protocol " + ProtocolVersion.text() + ", the client " + version
                                + "; use a client of major version " + ProtocolVersion.MAJOR)));
                return;
            }
            initialized = true;
            LOG.fine(() -> name + ": initialized by " + params.clientName());
            result.complete(new InitializeResult(backend.serverVersion(), ProtocolVersion.text(),
                    new Capabilities(true, true, true, dev.rewind.backend.checkpoint.Engine.canPreservePids(), RpcLauncher.MAX_MESSAGE_BYTES)));
        });
        return result;
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        return call(() -> {
            backend.endSessionsOf(this);
            shutDown = true;
            return null;
        });
    }

    @Override
    public void exit() {
        ended.complete(shutDown ? 0 : 1);
    }

    @Override
    public SessionService session() {
        return sessions;
    }

    @Override
    public CheckpointService checkpoint() {
        return checkpoints;
    }

    @Override
    public BreakpointService breakpoint() {
        return breakpoints;
    }

    @Override
    public MemoryService memory() {
        return memory;
    }

    @Override
    public ImageService image() {
        return images;
    }

    private java.util.concurrent.ThreadFactory daemon(String what) {
        return r -> {
            Thread t = new Thread(r, "rewind-rpc-" + name + "-" + what);
            t.setDaemon(true);
            return t;
        };
    }
}
