package dev.rewind.protocol;

import dev.rewind.protocol.breakpoint.BreakpointService;
import dev.rewind.protocol.checkpoint.CheckpointService;
import dev.rewind.protocol.image.ImageService;
import dev.rewind.protocol.memory.MemoryService;
import dev.rewind.protocol.session.SessionService;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonDelegate;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;

/**
 * What the Rewind backend answers: JSON-RPC 2.0 with LSP base-protocol framing
 * ({@code Content-Length} headers). The lifecycle is LSP's: {@code initialize} first, then any
 * segment method, then {@code shutdown} and the {@code exit} notification.
 *
 * <p>Notifications the backend sends back are in {@link RewindClient}. Errors carry the codes in
 * {@link ErrorCodes}.
 */
public interface RewindServer {
    /**
     * Must be the first request. The backend refuses a client whose major protocol version
     * differs ({@link ErrorCodes#INCOMPATIBLE_PROTOCOL}); every other request before it fails with
     * {@link ErrorCodes#SERVER_NOT_INITIALIZED}.
     */
    @JsonRequest
    CompletableFuture<InitializeResult> initialize(InitializeParams params);

    /**
     * Ends this connection's sessions (as each one's {@code onDisconnect} says) and refuses
     * further requests; the connection stays open until {@code exit}.
     */
    @JsonRequest
    CompletableFuture<Void> shutdown();

    /**
     * Closes the connection. Over stdio the backend process then ends: exit status 0 after
     * {@code shutdown}, 1 without it. Over a socket only this client's connection ends.
     */
    @JsonNotification
    void exit();

    /** {@code session/*}: launch, attach, run control, output. */
    @JsonDelegate
    SessionService session();

    /** {@code checkpoint/*}: the timeline of one session. */
    @JsonDelegate
    CheckpointService checkpoint();

    /** {@code breakpoint/*}. */
    @JsonDelegate
    BreakpointService breakpoint();

    /** {@code memory/*}. */
    @JsonDelegate
    MemoryService memory();

    /** {@code image/*}: checkpoint image files. */
    @JsonDelegate
    ImageService image();
}
